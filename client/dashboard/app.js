// The batch-jobs dashboard: plain ES module, only the GraphQL endpoint. Operations come from the
// generated trusted-documents manifest (client/operations → /dashboard/operations.json), so the
// page runs unchanged when the gateway accepts trusted operations only.

const PAGE_SIZE = 20;
const ACTIVE = new Set(['PENDING', 'RUNNING', 'DISPATCHED']);

const $ = (id) => document.getElementById(id);
const state = { offset: 0, selected: null, stream: null, ops: {}, config: { persistedOnly: false, auth: false } };

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

function describeErrors(errors) {
  return errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('\n');
}

async function graphql(name, variables) {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: headers({ accept: 'application/graphql-response+json, application/json' }),
    body: body(name, variables),
  });
  const json = await res.json();
  if (json.errors?.length) throw new Error(describeErrors(json.errors));
  return json.data;
}

/** Subscribes over Server-Sent Events (POST, so no CSRF header is needed). */
function subscribe(name, variables, onData, onError) {
  const controller = new AbortController();
  (async () => {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: headers({ accept: 'text/event-stream' }),
      body: body(name, variables),
      signal: controller.signal,
    });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'complete') return;
        if (event === 'next' && data) {
          const payload = JSON.parse(data);
          if (payload.errors?.length) onError(describeErrors(payload.errors));
          if (payload.data) onData(payload.data);
        }
      }
    }
  })().catch((error) => {
    if (error.name !== 'AbortError') onError(String(error.message ?? error));
  });
  return () => controller.abort();
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

function progressBar(percent) {
  const fill = el('div');
  fill.style.width = `${Math.max(0, Math.min(100, percent ?? 0))}%`;
  return el(
    'span',
    {},
    el('span', { className: 'bar' }, fill),
    el('span', { className: 'pct', textContent: `${(percent ?? 0).toFixed(1)}%` }),
  );
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

async function loadJobs() {
  const filter = {};
  if ($('filter-status').value) filter.status = $('filter-status').value;
  if ($('filter-type').value) filter.jobType = $('filter-type').value;
  try {
    const { batchJobs } = await graphql('JobsPage', { filter, limit: PAGE_SIZE, offset: state.offset });
    showError('');
    const rows = batchJobs.nodes.map((job) => {
      const row = el(
        'tr',
        { className: `job${job.id === state.selected ? ' selected' : ''}` },
        el('td', {}, el('code', { textContent: job.id })),
        el('td', { textContent: job.jobType }),
        el('td', {}, el('span', { className: `status ${job.status}`, textContent: job.status })),
        el('td', {}, progressBar(job.progressPercentage)),
        el('td', { textContent: job.createdAt ? new Date(job.createdAt).toLocaleString() : '' }),
      );
      row.dataset.id = job.id;
      row.dataset.status = job.status;
      row.addEventListener('click', () => openJob(job.id));
      return row;
    });
    $('jobs').replaceChildren(...rows);
    const first = batchJobs.nodes.length ? state.offset + 1 : 0;
    const total = batchJobs.totalCount ?? '?';
    $('range').textContent = `${first}–${state.offset + batchJobs.nodes.length} of ${total}`;
    $('prev').disabled = !batchJobs.pageInfo.hasPreviousPage;
    $('next').disabled = !batchJobs.pageInfo.hasNextPage;
  } catch (error) {
    showError(error.message);
  }
}

function renderJob(job) {
  $('detail-status').replaceChildren(el('span', { className: `status ${job.status}`, textContent: job.status }));
  const counts = `${job.processedItems ?? 0} processed, ${job.failedItems ?? 0} failed, ${job.skippedItems ?? 0} skipped`;
  $('detail-counts').textContent = job.totalItems === undefined ? counts : `${counts} of ${job.totalItems}`;
  $('live-bar').style.width = `${job.progressPercentage ?? 0}%`;
  $('live-bar').dataset.percent = String(job.progressPercentage ?? 0);
  $('live-label').textContent = `${(job.progressPercentage ?? 0).toFixed(2)}% done`;
  $('cancel').hidden = !ACTIVE.has(job.status);
}

async function openJob(id) {
  state.stream?.();
  state.selected = id;
  for (const row of $('jobs').children) row.classList.toggle('selected', row.dataset.id === id);
  try {
    const { batchJob } = await graphql('JobDetail', { id });
    if (!batchJob) throw new Error(`Job ${id} no longer exists.`);
    $('detail').hidden = false;
    $('detail-id').textContent = batchJob.id;
    $('detail-type').textContent = batchJob.jobType;
    $('detail-directory').textContent = batchJob.directoryId ?? '—';
    $('detail-error').textContent = batchJob.errorMessage ?? '';
    $('detail-error').hidden = !batchJob.errorMessage;
    renderJob(batchJob);
    $('items').replaceChildren(
      ...batchJob.items.nodes.map((item) =>
        el(
          'tr',
          {},
          el('td', { textContent: item.name }),
          el('td', {}, el('span', { className: `status ${item.status}`, textContent: item.status })),
        ),
      ),
    );
    state.stream = subscribe(
      'JobUpdated',
      { id },
      ({ batchJobUpdated }) => {
        renderJob(batchJobUpdated);
        const row = [...$('jobs').children].find((r) => r.dataset.id === id);
        if (row) {
          row.children[2].replaceChildren(
            el('span', { className: `status ${batchJobUpdated.status}`, textContent: batchJobUpdated.status }),
          );
          row.children[3].replaceChildren(progressBar(batchJobUpdated.progressPercentage));
        }
      },
      (message) => {
        $('detail-error').textContent = message;
        $('detail-error').hidden = false;
      },
    );
  } catch (error) {
    showError(error.message);
  }
}

async function cancelSelected() {
  const id = state.selected;
  if (!id) return;
  $('cancel').disabled = true;
  try {
    const { cancelBatchJob } = await graphql('CancelJob', { id, reason: 'Cancelled from the dashboard' });
    renderJob(cancelBatchJob);
    await loadJobs();
  } catch (error) {
    $('detail-error').textContent = error.message;
    $('detail-error').hidden = false;
  } finally {
    $('cancel').disabled = false;
  }
}

async function start() {
  [state.ops, state.config] = await Promise.all([
    fetch('/dashboard/operations.json').then((r) => r.json()),
    fetch('/dashboard/config.json').then((r) => r.json()),
  ]);
  if (state.config.auth) {
    $('token-field').hidden = false;
    $('token').value = sessionStorage.getItem('token') ?? '';
    $('token').addEventListener('change', () => {
      sessionStorage.setItem('token', $('token').value.trim());
      void loadJobs();
    });
  }
  for (const id of ['filter-status', 'filter-type']) {
    $(id).addEventListener('change', () => {
      state.offset = 0;
      void loadJobs();
    });
  }
  $('prev').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE);
    void loadJobs();
  });
  $('next').addEventListener('click', () => {
    state.offset += PAGE_SIZE;
    void loadJobs();
  });
  $('cancel').addEventListener('click', () => void cancelSelected());
  await loadJobs();
  document.body.dataset.ready = 'true';
}

void start();
