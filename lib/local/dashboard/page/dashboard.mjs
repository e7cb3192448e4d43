// The local dashboard's page: renders what /_local/api/stream sends (server-sent events). No framework, no
// build step. Everything a handler controls (events, answers, logs, names) is put in the page as text nodes,
// never as HTML, so it cannot run or restyle anything.

const MAX_ROWS = 200;
const $ = (selector) => document.querySelector(selector);

/** An element with attributes (set as attributes, never as HTML) and children (strings become text nodes). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined && value !== false) node.setAttribute(name, String(value));
  for (const child of children.flat()) if (child !== undefined && child !== null && child !== false) node.append(child instanceof Node ? child : String(child));
  return node;
}

/** `12:01:03.004`, as the runner's log lines stamp time (UTC). */
const clockTime = (ms) => new Date(ms).toISOString().slice(11, 23);
const duration = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

/** How far ahead `at` is on the runner's clock, estimated from the last state's `now`. */
let clockOffset = 0;
function fromNow(at) {
  const seconds = Math.round((at - (Date.now() + clockOffset)) / 1000);
  if (seconds <= 0) return 'due';
  if (seconds < 90) return `in ${seconds} s`;
  if (seconds < 5400) return `in ${Math.round(seconds / 60)} min`;
  return `in ${(seconds / 3600).toFixed(1)} h`;
}

function renderState(state) {
  clockOffset = state.now - Date.now();
  $('#app').textContent = `fake account ${state.account}, region ${state.region}`;
  $('#functions').replaceChildren(...state.functions.map(functionCard));
  $('#breakers').replaceChildren(...(state.breakers.length ? state.breakers.map(breakerCard) : [el('p', { class: 'empty' }, 'No function declares a circuit.')]));
  $('#queues').replaceChildren(...(state.queues.length ? state.queues.map(queueBlock) : [el('p', { class: 'empty' }, 'The app has no queue.')]));
  $('#schedules tbody').replaceChildren(...state.schedules.map((s) => el('tr', { 'data-schedule': s.source },
    el('td', {}, s.source), el('td', {}, s.expression, s.timezone ? ` (${s.timezone})` : ''),
    el('td', { class: 'next' }, s.next !== undefined ? new Date(s.next).toISOString().replace('T', ' ').slice(0, 19) : 'never'),
    el('td', { class: 'relative', 'data-at': s.next }, s.next !== undefined ? fromNow(s.next) : ''))));
}

function functionCard(f) {
  const c = f.counts;
  const config = [`${f.memoryMb} MB`, `timeout ${f.timeoutMs / 1000} s`, f.provisionedConcurrency ? `provisioned ${f.provisionedConcurrency}` : '', f.reservedConcurrency !== undefined ? `reserved ${f.reservedConcurrency}` : '', f.runtime];
  const warm = c.idle + c.busy;
  return el('article', { class: 'card function', 'data-function': f.name },
    el('h3', {}, f.name),
    el('p', { class: 'config' }, config.filter(Boolean).join(' · ')),
    el('div', { class: 'envs', 'aria-label': 'environments' }, f.environments.length
      ? f.environments.map((e) => el('i', { class: `env ${e.state}${e.provisioned ? ' provisioned' : ''}`, title: `${e.id}: ${e.provisioned ? 'provisioned, ' : ''}${e.state}, ${e.invocations} invocation(s)` }))
      : el('span', { class: 'empty' }, 'no environment')),
    el('dl', { class: 'counts' },
      count('warm', warm, 'warm'), count('busy', c.busy, 'busy'), count('provisioned', c.provisioned, 'provisioned'),
      count('cold starts', c.coldStarts, 'cold-starts'), count('invocations', c.invocations, 'invocations'),
      count('errors', c.errors, 'errors', c.errors > 0), count('throttles', c.throttles, 'throttles', c.throttles > 0), count('timeouts', c.timeouts, 'timeouts', c.timeouts > 0)),
    f.circuits.length ? el('p', { class: 'config' }, `circuits: ${f.circuits.join(', ')}`) : '');
}

function count(label, value, key, bad = false) {
  return el('div', { class: bad ? 'bad' : undefined, 'data-count': key }, el('dt', {}, label), el('dd', {}, value));
}

function breakerCard(b) {
  const state = b.state === 'UNREAD' ? 'not read yet' : b.state;
  const until = b.openUntil !== undefined ? (b.openUntil > Date.now() + clockOffset ? `open until ${clockTime(b.openUntil).slice(0, 8)} (${fromNow(b.openUntil)})` : 'open period over: the next call probes') : '';
  return el('article', { class: 'card breaker', 'data-circuit': b.circuit },
    el('h3', {}, b.circuit, ' ', el('span', { class: `state ${b.state.toLowerCase()}` }, state)),
    el('p', { class: 'config' }, `version ${b.version}`, until ? ` · ${until}` : ''),
    el('p', { class: 'config' }, `table ${b.tableName}`),
    el('p', { class: 'config' }, `used by ${b.functions.join(', ')}`));
}

function queueBlock(q) {
  return el('details', { class: 'queue', 'data-queue': q.name },
    el('summary', {}, el('strong', {}, q.name), ' ', el('span', { class: q.count ? 'badge bad' : 'badge' }, `${q.count} message(s)`),
      q.roles.length ? el('span', { class: 'config' }, ` ${q.roles.join('; ')}`) : ''),
    q.recent.length ? q.recent.map((m) => el('div', { class: 'message' },
      el('p', { class: 'config' }, `${clockTime(m.sentAt)} ${m.messageId}`, Object.entries(m.attributes).map(([k, v]) => ` · ${k}: ${v}`)),
      el('pre', {}, m.body))) : el('p', { class: 'empty' }, 'Empty.'));
}

let selected;

function invocationRow(i) {
  const outcome = i.outcome === 'ok' ? (i.status !== undefined ? String(i.status) : 'ok')
    : i.outcome === 'throttled' ? 'throttled' : `${i.status !== undefined ? `${i.status} ` : ''}${i.outcome === 'timeout' ? 'timed out' : i.errorType ?? 'error'}`;
  // An API's 5XX is a failure to the caller even when the function itself succeeded (it answered 502).
  const tone = i.outcome !== 'ok' || i.status >= 500 ? 'bad' : i.status >= 400 ? 'warn' : 'ok';
  const row = el('tr', { 'data-id': i.id, 'data-function': i.function, 'data-outcome': i.outcome, class: `tone-${tone}`, tabindex: 0 },
    el('td', {}, clockTime(i.at)), el('td', {}, i.trigger), el('td', {}, i.function, i.qualifier ? `:${i.qualifier}` : ''),
    el('td', {}, i.environment ?? '-'), el('td', {}, i.outcome === 'throttled' ? '-' : i.cold ? `cold (INIT ${duration(i.initMs ?? 0)})` : 'warm'),
    el('td', {}, duration(i.durationMs)), el('td', { class: 'outcome' }, outcome, i.attempt > 1 ? ` (attempt ${i.attempt})` : ''));
  row.addEventListener('click', () => select(i.id));
  row.addEventListener('keydown', (e) => e.key === 'Enter' && select(i.id));
  return row;
}

function addInvocations(list) {
  const body = $('#invocations tbody');
  for (const i of list) body.prepend(invocationRow(i));
  while (body.rows.length > MAX_ROWS) body.lastElementChild.remove();
  $('#no-invocations').hidden = body.rows.length > 0;
}

async function select(id) {
  selected = id;
  for (const row of document.querySelectorAll('#invocations tr.selected')) row.classList.remove('selected');
  document.querySelector(`#invocations tr[data-id="${Number(id)}"]`)?.classList.add('selected');
  const detail = $('#detail');
  const response = await fetch(`api/invocations/${Number(id)}`);
  if (selected !== id) return;
  const d = await response.json();
  if (!response.ok) return detail.replaceChildren(el('p', { class: 'empty' }, d.message));
  detail.classList.remove('empty');
  detail.replaceChildren(
    el('h3', {}, `${d.trigger} → ${d.function}${d.qualifier ? `:${d.qualifier}` : ''}`),
    el('p', { class: 'config' }, `request ${d.requestId} · ${d.environment ?? 'no environment'} · ${duration(d.durationMs)}`),
    el('h4', {}, 'Event'), el('pre', { id: 'detail-event' }, d.event),
    el('h4', {}, 'Response'), el('pre', { id: 'detail-response', class: d.outcome === 'ok' ? '' : 'bad' }, d.response),
    el('h4', {}, 'Log'), el('pre', { id: 'detail-logs' }, d.logs.length ? d.logs.join('\n') : '(no lines)'));
}

function connect() {
  const status = $('#connection');
  const source = new EventSource('api/stream');
  source.addEventListener('state', (e) => {
    renderState(JSON.parse(e.data));
    status.textContent = 'live';
    status.className = 'live';
  });
  source.addEventListener('invocations', (e) => {
    $('#invocations tbody').replaceChildren();
    addInvocations(JSON.parse(e.data));
  });
  source.addEventListener('invocation', (e) => addInvocations([JSON.parse(e.data)]));
  source.addEventListener('error', () => {
    status.textContent = source.readyState === EventSource.CLOSED ? 'runner stopped' : 'reconnecting…';
    status.className = 'down';
  });
}

// Relative times ("in 42 s") move on between updates.
setInterval(() => {
  for (const cell of document.querySelectorAll('td.relative[data-at]')) cell.textContent = fromNow(Number(cell.dataset.at));
}, 1000);

connect();
