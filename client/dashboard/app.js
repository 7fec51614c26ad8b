// The batch-jobs dashboard: plain ES module, only the GraphQL endpoint. Operations come from the
// generated trusted-documents manifest (client/operations → /dashboard/operations.json), so the
// page runs unchanged when the gateway accepts trusted operations only. The URL holds the filters,
// the page and the open job, so a reload or a shared link shows the same view.

const PAGE_SIZE = 20;
const ITEMS_PAGE_SIZE = 50;
/** How often the list reloads itself while it shows jobs that are still changing. */
const LIST_REFRESH_MS = 5000;
/** Least time between two reloads of the open job's items, driven by its live updates. */
const ITEMS_REFRESH_MS = 2000;
const ACTIVE = new Set(['PENDING', 'THROTTLED', 'DISPATCHED', 'RUNNING']);

const $ = (id) => document.getElementById(id);
const state = {
  ops: {},
  config: { persistedOnly: false, auth: false, graphiql: false, batchApi: 'v1' },
  offset: 0,
  /** Batch API v2 pages by cursor: the cursor of this page (null: the first) and those before it. */
  after: null,
  cursors: [],
  sort: 'none',
  jobs: [],
  /** Last status seen per listed job, to announce changes. */
  statuses: new Map(),
  selected: null,
  job: null,
  itemsOffset: 0,
  stopStream: null,
  listTimer: null,
  retryTimer: null,
  itemsLoadedAt: 0,
  returnFocus: null,
};

/** An error to show: what happened in words, and how long to wait before retrying, if known. */
class DashboardError extends Error {
  constructor(message, { code = null, retryAfterSeconds = null } = {}) {
    super(message);
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

function headers(extra = {}) {
  const token = sessionStorage.getItem('token');
  return { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
}

function body(name, variables) {
  const op = state.ops[name];
  return JSON.stringify(
    state.config.persistedOnly
      ? { operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: op.hash } } }
      : { operationName: name, query: op.query, variables },
  );
}

function errorOf(errors, res) {
  const first = errors[0] ?? {};
  const fromHeader = Number(res?.headers.get('retry-after'));
  return new DashboardError(errors.map((e) => `${e.message} (${e.extensions?.code ?? 'ERROR'})`).join('\n'), {
    code: first.extensions?.code ?? null,
    retryAfterSeconds: first.extensions?.retryAfterSeconds ?? (fromHeader > 0 ? fromHeader : null),
  });
}

/** A response that is no GraphQL answer (a proxy's HTML error page, say) as a sentence. */
async function notGraphQL(res) {
  const text = await res.text().catch(() => '');
  const title = /<title>([^<]{1,120})<\/title>/i.exec(text)?.[1]?.trim();
  const what = title ? `a page titled "${title}"` : 'something that is not a GraphQL answer';
  const retry = Number(res.headers.get('retry-after'));
  return new DashboardError(`The gateway could not be reached properly: HTTP ${res.status} with ${what}.`, {
    retryAfterSeconds: retry > 0 ? retry : null,
  });
}

async function graphql(name, variables) {
  let res;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: headers({ accept: 'application/graphql-response+json, application/json' }),
      body: body(name, variables),
    });
  } catch {
    throw new DashboardError('The gateway cannot be reached. Check your connection.');
  }
  if (!/json/.test(res.headers.get('content-type') ?? '')) throw await notGraphQL(res);
  const json = await res.json().catch(() => null);
  if (!json) throw await notGraphQL(res);
  if (json.errors?.length) throw errorOf(json.errors, res);
  return json.data;
}

/**
 * Subscribes over Server-Sent Events (a POST, so a token can go with it). When the stream ends
 * without `complete` (a dropped connection) or says SHUTTING_DOWN (a deploy), it subscribes again
 * after a growing pause; the first event of the new stream is the job's state, so nothing is lost.
 */
function subscribe(name, variables, { onData, onError, onState }) {
  let controller = new AbortController();
  let stopped = false;
  let attempt = 0;
  const run = async () => {
    let finished = false;
    let reconnect = false;
    try {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: headers({ accept: 'text/event-stream' }),
        body: body(name, variables),
        signal: controller.signal,
      });
      if (!res.ok && !(res.headers.get('content-type') ?? '').includes('event-stream')) throw await notGraphQL(res);
      onState('live');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === 'complete') finished = true;
          if (event !== 'next' || !data) continue;
          const payload = JSON.parse(data);
          attempt = 0;
          if (payload.errors?.some((e) => e.extensions?.code === 'SHUTTING_DOWN')) reconnect = true;
          else if (payload.errors?.length) onError(errorOf(payload.errors).message);
          if (payload.data?.[Object.keys(payload.data)[0]]) onData(payload.data);
        }
      }
    } catch (error) {
      if (stopped) return;
      if (error instanceof DashboardError) onError(error.message);
    }
    if (stopped || (finished && !reconnect)) {
      if (!stopped) onState('ended');
      return;
    }
    attempt += 1;
    const delay = Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
    onState('reconnecting', delay);
    setTimeout(() => {
      if (stopped) return;
      controller = new AbortController();
      void run();
    }, delay);
  };
  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

const percentText = (percent) => `${(percent ?? 0).toFixed(1)}%`;

function progressBar(percent, label) {
  // v2 reports no progress for a batch.
  if (percent === null || percent === undefined) {
    return el(
      'span',
      { className: 'progress', title: 'LlamaCloud reports no progress for v2 batches' },
      el('span', { className: 'pct', textContent: '—' }),
    );
  }
  const value = Math.max(0, Math.min(100, percent ?? 0));
  const fill = el('div');
  fill.style.width = `${value}%`;
  const bar = el('span', { className: 'bar' }, fill);
  bar.setAttribute('role', 'progressbar');
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', '100');
  bar.setAttribute('aria-valuenow', String(value));
  bar.setAttribute('aria-label', label);
  return el('span', { className: 'progress' }, bar, el('span', { className: 'pct', textContent: percentText(value) }));
}

/** A job's status as shown: one newer than this gateway (UNKNOWN) by the name LlamaCloud gave it. */
function statusBadge(status, raw) {
  const shown = status === 'UNKNOWN' && raw ? raw.toUpperCase() : status;
  return el('span', {
    className: `status ${status}`,
    textContent: shown,
    title: status === 'UNKNOWN' ? 'A status this gateway does not know yet' : '',
  });
}

function announce(message) {
  // Cleared first, so the same message twice is read twice.
  $('announcer').textContent = '';
  setTimeout(() => ($('announcer').textContent = message), 50);
}

// ---- The URL: filters, page, sort and the open job ----

function readUrl() {
  const params = new URLSearchParams(location.search);
  $('filter-status').value = params.get('status') ?? '';
  $('filter-type').value = params.get('type') ?? '';
  state.offset = Math.max(0, Number(params.get('offset')) || 0);
  state.after = params.get('after');
  state.sort = ['newest', 'oldest'].includes(params.get('sort')) ? params.get('sort') : 'none';
  state.selected = params.get('job');
  state.itemsOffset = Math.max(0, Number(params.get('itemsOffset')) || 0);
}

function writeUrl() {
  const params = new URLSearchParams();
  if ($('filter-status').value) params.set('status', $('filter-status').value);
  if ($('filter-type').value) params.set('type', $('filter-type').value);
  if (state.offset > 0) params.set('offset', String(state.offset));
  if (state.after) params.set('after', state.after);
  if (state.sort !== 'none') params.set('sort', state.sort);
  if (state.selected) params.set('job', state.selected);
  if (state.selected && state.itemsOffset > 0) params.set('itemsOffset', String(state.itemsOffset));
  const query = params.toString();
  history.replaceState(null, '', query ? `?${query}` : location.pathname);
}

// ---- The list ----

function filterOf() {
  const filter = {};
  if ($('filter-status').value) filter.status = $('filter-status').value;
  if ($('filter-type').value && !isV2()) filter.jobType = $('filter-type').value;
  return filter;
}

function isV2() {
  return state.config.batchApi === 'v2';
}

function sortedJobs() {
  if (state.sort === 'none') return state.jobs;
  const sign = state.sort === 'newest' ? -1 : 1;
  return [...state.jobs].sort((a, b) => sign * (Date.parse(a.createdAt ?? 0) - Date.parse(b.createdAt ?? 0)));
}

function jobRow(job) {
  const row = el(
    'tr',
    { className: `job${job.id === state.selected ? ' selected' : ''}`, tabIndex: 0 },
    el('td', {}, el('code', { textContent: job.id })),
    el('td', { className: 'wide-only', textContent: job.jobType }),
    el('td', {}, statusBadge(job.status, job.rawStatus)),
    el('td', {}, progressBar(job.progressPercentage, `Progress of ${job.id}`)),
    el('td', { className: 'wide-only', textContent: job.createdAt ? new Date(job.createdAt).toLocaleString() : '' }),
  );
  row.dataset.id = job.id;
  row.dataset.status = job.status;
  row.setAttribute(
    'aria-label',
    `Job ${job.id}, ${job.jobType}, ${job.status}, ${percentText(job.progressPercentage)}`,
  );
  row.addEventListener('click', () => void openJob(job.id, row));
  row.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      void openJob(job.id, row);
    }
  });
  return row;
}

function renderList() {
  const heading = $('created-heading');
  heading.setAttribute('aria-sort', { none: 'none', newest: 'descending', oldest: 'ascending' }[state.sort]);
  $('sort-created').textContent = { none: 'Created', newest: 'Created ↓', oldest: 'Created ↑' }[state.sort];
  const focused = document.activeElement?.closest?.('#jobs tr')?.dataset.id;
  const rows = sortedJobs().map(jobRow);
  if (rows.length === 0) {
    const cell = el('td', { colSpan: 5, className: 'empty', textContent: 'No jobs match these filters.' });
    rows.push(el('tr', { className: 'empty-row' }, cell));
  }
  $('jobs').replaceChildren(...rows);
  if (focused) [...$('jobs').children].find((row) => row.dataset.id === focused)?.focus();
}

function showListError(error) {
  clearTimeout(state.retryTimer);
  // No stale rows under an error: they would contradict the filters shown above them.
  state.jobs = [];
  $('jobs').replaceChildren();
  $('range').textContent = '';
  $('prev').disabled = true;
  $('next').disabled = true;
  $('list-status').textContent = '';
  $('list-error').hidden = false;
  $('list-error-text').textContent = error.message;
  let left = error.retryAfterSeconds;
  const tick = () => {
    if (left === null) {
      $('retry-countdown').textContent = '';
      return;
    }
    if (left <= 0) {
      void loadJobs();
      return;
    }
    $('retry-countdown').textContent = `Retrying in ${left} s…`;
    left -= 1;
    state.retryTimer = setTimeout(tick, 1000);
  };
  tick();
}

async function loadJobs({ quiet = false } = {}) {
  clearTimeout(state.listTimer);
  clearTimeout(state.retryTimer);
  writeUrl();
  if (!quiet) {
    $('list-status').textContent = 'Loading jobs…';
    $('jobs').setAttribute('aria-busy', 'true');
  }
  try {
    const { batchJobs } = await graphql(
      'JobsPage',
      isV2()
        ? { filter: filterOf(), limit: PAGE_SIZE, after: state.after }
        : { filter: filterOf(), limit: PAGE_SIZE, offset: state.offset },
    );
    $('list-error').hidden = true;
    $('retry-countdown').textContent = '';
    for (const job of batchJobs.nodes) {
      const before = state.statuses.get(job.id);
      if (before && before !== job.status) announce(`Job ${job.id} is now ${job.status}.`);
      state.statuses.set(job.id, job.status);
    }
    state.jobs = batchJobs.nodes;
    renderList();
    // Under v2 the position is known only from the pages walked (a shared link starts counting anew).
    const offset = isV2() ? state.cursors.length * PAGE_SIZE : state.offset;
    const first = batchJobs.nodes.length ? offset + 1 : 0;
    const total = batchJobs.totalCount ?? '?';
    const known = !isV2() || state.after === null || state.cursors.length > 0;
    $('range').textContent = known
      ? `${first}–${offset + batchJobs.nodes.length} of ${total}`
      : `${batchJobs.nodes.length} jobs`;
    $('prev').disabled = !batchJobs.pageInfo.hasPreviousPage;
    $('next').disabled = !batchJobs.pageInfo.hasNextPage;
    state.endCursor = batchJobs.pageInfo.endCursor;
    $('list-status').textContent = batchJobs.nodes.length === 0 ? 'No jobs match these filters.' : '';
    // While jobs on this page still change, the page keeps itself current.
    if (batchJobs.nodes.some((job) => ACTIVE.has(job.status))) {
      state.listTimer = setTimeout(() => {
        if (document.visibilityState === 'visible') void loadJobs({ quiet: true });
        else document.addEventListener('visibilitychange', () => void loadJobs({ quiet: true }), { once: true });
      }, LIST_REFRESH_MS);
    }
  } catch (error) {
    showListError(error);
  } finally {
    $('jobs').removeAttribute('aria-busy');
  }
}

// ---- The open job ----

function setCount(id, value) {
  // Null is "not reported" (always under v2), not zero.
  $(id).textContent = value === null || value === undefined ? '—' : String(value);
}

function renderJob(job) {
  const previous = state.job;
  state.job = { ...state.job, ...job };
  const current = state.job;
  if (previous && previous.id === current.id && previous.status !== current.status) {
    announce(`Job ${current.id} is now ${current.status}.`);
  }
  $('detail-status').replaceChildren(statusBadge(current.status, current.rawStatus));
  setCount('count-processed', current.processedItems);
  setCount('count-failed', current.failedItems);
  setCount('count-skipped', current.skippedItems);
  setCount('count-total', current.totalItems);
  const percent = current.progressPercentage ?? 0;
  $('live-bar').style.width = `${percent}%`;
  $('live-progress').dataset.percent = String(percent);
  $('live-progress').setAttribute('aria-valuenow', String(percent));
  // v2 reports no progress for a batch: say so rather than show 0 %.
  $('live-progress').hidden = current.progressPercentage === null;
  $('live-label').textContent =
    current.progressPercentage === null
      ? 'LlamaCloud reports no progress for v2 batches; each file’s job is listed below.'
      : `${percent.toFixed(2)}% processed`;
  // A finished job short of 100 % is no stuck job: its other items failed or were skipped. (The
  // list's percentage counts processed items only; LlamaCloud's own, for one job, counts them all.)
  const notProcessed = (current.failedItems ?? 0) + (current.skippedItems ?? 0);
  const ended = !ACTIVE.has(current.status);
  const status = `${current.status[0]}${current.status.slice(1).toLowerCase()}`;
  $('progress-note').hidden = !(ended && current.progressPercentage !== null && (notProcessed > 0 || percent < 100));
  $('progress-note').textContent =
    `${status}: ${current.processedItems ?? 0} of ${current.totalItems} items processed, ` +
    `${current.failedItems ?? 0} failed, ${current.skippedItems ?? 0} skipped. ` +
    'Failed and skipped items end without being processed, so the list shows this job below 100 %.';
  $('cancel').hidden = !ACTIVE.has(current.status);
  if (!ACTIVE.has(current.status)) $('confirm').hidden = true;
  const row = [...$('jobs').children].find((r) => r.dataset.id === current.id);
  if (row && row.dataset.status !== undefined) {
    row.dataset.status = current.status;
    row.children[2].replaceChildren(statusBadge(current.status, current.rawStatus));
    row.children[3].replaceChildren(progressBar(current.progressPercentage, `Progress of ${current.id}`));
  }
}

function renderItems(items) {
  const rows = items.nodes.map((item) =>
    el(
      'tr',
      {},
      el('td', { textContent: item.name, title: item.errorMessage ?? '' }),
      el('td', {}, statusBadge(item.status)),
    ),
  );
  if (rows.length === 0)
    rows.push(el('tr', {}, el('td', { colSpan: 2, className: 'empty', textContent: 'No items.' })));
  $('items').replaceChildren(...rows);
  const first = items.nodes.length ? state.itemsOffset + 1 : 0;
  $('items-range').textContent = `${first}–${state.itemsOffset + items.nodes.length} of ${items.totalCount ?? '?'}`;
  $('items-prev').disabled = !items.pageInfo.hasPreviousPage;
  $('items-next').disabled = !items.pageInfo.hasNextPage;
}

/** A v2 job's files, a page at a time (v2 lists them all at once). */
function renderResults(results) {
  const all = results ?? [];
  const page = all.slice(state.itemsOffset, state.itemsOffset + ITEMS_PAGE_SIZE);
  const rows = page.map((result) =>
    el(
      'tr',
      {},
      el('td', { textContent: result.sourceDirectoryFileId }),
      el('td', {
        textContent: result.job
          ? `${result.job.type} job ${result.job.id}`
          : `No job: ${result.errorMessage ?? 'unknown'}`,
        className: result.job ? '' : 'error',
      }),
    ),
  );
  if (rows.length === 0) {
    const text = results === null ? 'LlamaCloud lists no files for this batch yet.' : 'No files.';
    rows.push(el('tr', {}, el('td', { colSpan: 2, className: 'empty', textContent: text })));
  }
  $('items').replaceChildren(...rows);
  const first = page.length ? state.itemsOffset + 1 : 0;
  $('items-range').textContent = `${first}–${state.itemsOffset + page.length} of ${all.length}`;
  $('items-prev').disabled = state.itemsOffset === 0;
  $('items-next').disabled = state.itemsOffset + ITEMS_PAGE_SIZE >= all.length;
}

function detailMessage(message) {
  $('detail-message').textContent = message;
  $('detail-message').hidden = !message;
}

/** Reads the open job and its page of items; false when there is no such job. */
async function loadJob(id) {
  const { batchJob } = isV2()
    ? await graphql('JobResults', { id })
    : await graphql('JobDetail', { id, itemsLimit: ITEMS_PAGE_SIZE, itemsOffset: state.itemsOffset });
  if (!batchJob) return false;
  state.itemsLoadedAt = Date.now();
  $('detail-id').textContent = batchJob.id;
  $('detail-type').textContent = batchJob.jobType;
  $('detail-directory').textContent = batchJob.directoryId ?? '—';
  $('detail-error').textContent = batchJob.errorMessage ?? '';
  $('detail-error').hidden = !batchJob.errorMessage;
  renderJob(batchJob);
  if (isV2()) renderResults(batchJob.results);
  else renderItems(batchJob.items);
  return true;
}

function liveState(kind, delay) {
  $('live-state').dataset.state = kind;
  $('live-state').textContent =
    kind === 'live'
      ? 'Live: updates arrive as the job changes.'
      : kind === 'reconnecting'
        ? `Connection lost (the gateway may be restarting); reconnecting in ${Math.round(delay / 1000)} s…`
        : 'The job has finished; no more updates.';
}

async function openJob(id, fromRow = null) {
  state.stopStream?.();
  state.stopStream = null;
  if (id !== state.selected) state.itemsOffset = 0;
  state.selected = id;
  state.job = null;
  state.returnFocus = fromRow ?? document.activeElement;
  for (const row of $('jobs').children) row.classList.toggle('selected', row.dataset.id === id);
  $('confirm').hidden = true;
  $('cancel-outcome').textContent = '';
  detailMessage('');
  writeUrl();
  try {
    if (!(await loadJob(id))) {
      closeJob();
      showSearchMessage(`There is no job with id "${id}".`);
      return;
    }
  } catch (error) {
    $('detail').hidden = false;
    $('detail-id').textContent = id;
    detailMessage(error.message);
    return;
  }
  $('detail').hidden = false;
  $('detail-id').focus();
  if (!ACTIVE.has(state.job.status)) {
    liveState('ended');
    return;
  }
  state.stopStream = subscribe(
    'JobUpdated',
    { id },
    {
      onData: ({ batchJobUpdated }) => {
        detailMessage('');
        renderJob(batchJobUpdated);
        // The items move with the job: their page is read again, at most every ITEMS_REFRESH_MS.
        if (Date.now() - state.itemsLoadedAt > ITEMS_REFRESH_MS || !ACTIVE.has(batchJobUpdated.status)) {
          void loadJob(id).catch((error) => detailMessage(error.message));
        }
      },
      onError: (message) => detailMessage(message),
      onState: liveState,
    },
  );
}

function closeJob() {
  state.stopStream?.();
  state.stopStream = null;
  state.selected = null;
  state.job = null;
  $('detail').hidden = true;
  for (const row of $('jobs').children) row.classList.remove('selected');
  writeUrl();
  if (state.returnFocus?.isConnected) state.returnFocus.focus();
}

async function cancelSelected() {
  const id = state.selected;
  if (!id) return;
  $('confirm-yes').disabled = true;
  $('cancel-outcome').textContent = 'Cancelling…';
  try {
    const { cancelBatchJob } = await graphql('CancelJob', { id, reason: 'Cancelled from the dashboard' });
    // The answer holds the new status: the counts already shown stay.
    renderJob(cancelBatchJob);
    $('confirm').hidden = true;
    $('cancel-outcome').textContent = `Cancellation requested: the job is now ${cancelBatchJob.status}.`;
    void loadJobs({ quiet: true });
  } catch (error) {
    $('cancel-outcome').textContent = `The job was not cancelled: ${error.message}`;
  } finally {
    $('confirm-yes').disabled = false;
  }
}

function showSearchMessage(message) {
  $('list-status').textContent = message;
}

async function start() {
  try {
    [state.ops, state.config] = await Promise.all([
      fetch('/dashboard/operations.json').then((r) => r.json()),
      fetch('/dashboard/config.json').then((r) => r.json()),
    ]);
  } catch {
    showListError(new DashboardError('The dashboard could not load its settings from the gateway. Reload the page.'));
    document.body.dataset.ready = 'true';
    return;
  }
  $('graphiql-link').hidden = !state.config.graphiql;
  // What the other generation of LlamaCloud's batch API has and this one lacks is not offered.
  for (const node of document.querySelectorAll('[data-only]')) {
    const shown = node.dataset.only === (isV2() ? 'v2' : 'v1');
    node.hidden = !shown;
    if (node.tagName === 'OPTION') node.disabled = !shown;
  }
  if (isV2()) {
    $('items-heading').textContent = 'Files';
    $('items-name-heading').textContent = 'File';
    $('items-status-heading').textContent = 'Became';
    $('search-id').placeholder = 'bat-…';
  }
  if (state.config.auth) {
    $('token-field').hidden = false;
    $('token').value = sessionStorage.getItem('token') ?? '';
    $('token').addEventListener('change', () => {
      sessionStorage.setItem('token', $('token').value.trim());
      void loadJobs();
    });
  }
  readUrl();
  for (const id of ['filter-status', 'filter-type']) {
    $(id).addEventListener('change', () => {
      state.offset = 0;
      state.after = null;
      state.cursors = [];
      void loadJobs();
    });
  }
  $('prev').addEventListener('click', () => {
    if (isV2()) state.after = state.cursors.pop() ?? null;
    else state.offset = Math.max(0, state.offset - PAGE_SIZE);
    void loadJobs();
  });
  $('next').addEventListener('click', () => {
    if (isV2()) {
      state.cursors.push(state.after);
      state.after = state.endCursor;
    } else state.offset += PAGE_SIZE;
    void loadJobs();
  });
  $('retry').addEventListener('click', () => void loadJobs());
  $('sort-created').addEventListener('click', () => {
    state.sort = { none: 'newest', newest: 'oldest', oldest: 'none' }[state.sort];
    writeUrl();
    renderList();
  });
  $('search').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = $('search-id').value.trim();
    if (id) void openJob(id);
  });
  $('close').addEventListener('click', closeJob);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !$('detail').hidden) closeJob();
  });
  $('cancel').addEventListener('click', () => {
    $('confirm').hidden = false;
    $('confirm-no').focus();
  });
  $('confirm-no').addEventListener('click', () => {
    $('confirm').hidden = true;
    $('cancel').focus();
  });
  $('confirm-yes').addEventListener('click', () => void cancelSelected());
  $('items-prev').addEventListener('click', () => {
    state.itemsOffset = Math.max(0, state.itemsOffset - ITEMS_PAGE_SIZE);
    writeUrl();
    void loadJob(state.selected).catch((error) => detailMessage(error.message));
  });
  $('items-next').addEventListener('click', () => {
    state.itemsOffset += ITEMS_PAGE_SIZE;
    writeUrl();
    void loadJob(state.selected).catch((error) => detailMessage(error.message));
  });
  await loadJobs();
  if (state.selected) await openJob(state.selected);
  document.body.dataset.ready = 'true';
}

void start();
