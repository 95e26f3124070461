// Browser test of docprof as the backend of the original web client (issue 16): a page served from
// another origin (a tiny static server on its own port) calls the API with XMLHttpRequest, the way
// that client's axios does — the same routes and bodies, an `Authorization: Bearer` id token signed
// like a Cognito one (ES256, key set in a JWKS file, `auth.mode = "jwt"`) — and every answer,
// errors included, must be readable by the page (CORS). Then docprof's own page shows the learner's
// progress: "Next section" and "Mark complete".
//
// Flows: create, outline while generating and when done, list, too many runs (429), a body too
// large (413), delete while generating, an unknown or expired token (401), next section, mark
// complete (idempotent; another course's end completes it), an unknown section (404), a revision
// (issue 17: 422, 404, 400, docprof's revise box → 202, 409 while it runs, the revised outline with
// the completed sections), delete.
// `docprof serve --no-workers` keeps courses generating until `docprof worker --drain` runs.
//
// Environment: as web_page_test.mjs (DOCPROF_BINARY, DOCPROF_SOURCE_DIR, TEST_ARTIFACTS_DIR, CHROMIUM).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import {
  artifactsDir, check, docprof, freePort, launchChromium, loadPlaywright, sourceDir, startServer as startDocprof,
  stopServer, reportFailure, runTest,
} from './browser_support.mjs';

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool';
const AUDIENCE = 'web-client-app-id';
const KID = 'test-es256';

function log(message) {
  console.log(`[web_client_test] ${message}`);
}

// ---- Identity: an ES256 key, its JWKS, and id tokens shaped like Cognito's ------------------------

const keys = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const b64url = (data) => Buffer.from(data).toString('base64url');

function jwks() {
  const jwk = keys.publicKey.export({ format: 'jwk' });
  return JSON.stringify({ keys: [{ ...jwk, kid: KID, alg: 'ES256', use: 'sig' }] });
}

function idToken(sub, { expiresIn = 3600 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'ES256', kid: KID, typ: 'JWT' };
  const claims = {
    sub, aud: AUDIENCE, iss: ISSUER, token_use: 'id', auth_time: now, iat: now, exp: now + expiresIn,
    'cognito:username': sub, email: `${sub}@example.com`,
  };
  const signed = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  // JWS ES256 is the raw r||s (IEEE P1363), not DER.
  const signature = crypto.sign('sha256', Buffer.from(signed), { key: keys.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signed}.${b64url(signature)}`;
}

// ---- Processes and servers -------------------------------------------------------------------------

// `docprof serve --no-workers`: courses stay generating until `docprof worker --drain` runs.
function startServer(config, port, logFile) {
  return startDocprof(config, port, logFile, ['--no-workers']);
}

// The web client's origin: one page, no API of its own.
function startClientOrigin(port) {
  const page = '<!doctype html><html><head><meta charset="utf-8"><title>client</title></head>'
    + '<body><h1>A web client on another origin</h1></body></html>';
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

// ---- The client's calls, made in the page -----------------------------------------------------------

// One XMLHttpRequest from the page (as axios makes them): JSON body when given, the bearer token
// when given. A CORS failure gives status 0, which the checks below report as unreadable.
async function call(page, api, method, route, { token, body, rawBody } = {}) {
  return page.evaluate(({ url, method, token, body, rawBody }) => new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    let payload = null;
    if (body !== undefined) {
      xhr.setRequestHeader('Content-Type', 'application/json');
      payload = JSON.stringify(body);
    } else if (rawBody !== undefined) {
      xhr.setRequestHeader('Content-Type', 'application/json');
      payload = rawBody;
    }
    xhr.onload = () => {
      let json = null;
      try { json = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch (_) { json = undefined; }
      resolve({ status: xhr.status, json, retryAfter: xhr.getResponseHeader('Retry-After'),
        requestId: xhr.getResponseHeader('X-Request-Id') });
    };
    xhr.onerror = () => resolve({ status: 0, json: null, networkError: true });
    xhr.send(payload);
  }), { url: api + route, method, token, body, rawBody });
}

function expectStatus(answer, status, label) {
  check(!answer.networkError, `${label}: the page could not read the answer (Network Error: CORS?)`);
  check(answer.status === status, `${label}: status ${answer.status}, expected ${status} (${JSON.stringify(answer.json)})`);
  check(answer.requestId, `${label}: the page cannot read X-Request-Id (Access-Control-Expose-Headers)`);
  if (status >= 400) {
    check(answer.json && typeof answer.json.error === 'string' && answer.json.error_code,
      `${label}: the error body is not readable JSON {error, error_code}: ${JSON.stringify(answer.json)}`);
  }
  return answer.json;
}

async function run(work) {
  const { chromium } = await loadPlaywright();
  fs.mkdirSync(artifactsDir, { recursive: true });
  const jwksFile = path.join(work, 'jwks.json');
  fs.writeFileSync(jwksFile, jwks());
  const config = path.join(work, 'docprof.toml');
  fs.writeFileSync(config, [
    '[storage]', `path = ${JSON.stringify(path.join(work, 'docprof.db'))}`,
    '[auth]', 'mode = "jwt"', `jwks = ${JSON.stringify(jwksFile)}`, `issuer = ${JSON.stringify(ISSUER)}`,
    `audience = ${JSON.stringify(AUDIENCE)}`,
    // server.cors_origins is left at its default: "*" with bearer-token authentication.
    '[server]', 'threads = 8', 'max_body_bytes = 4096', 'max_concurrent_runs = 2', '',
  ].join('\n'));
  docprof(config, ['books', 'import', path.join(sourceDir, 'examples/library')]);

  const apiPort = await freePort();
  const clientPort = await freePort();
  const serverLog = path.join(work, 'serve.log');
  let server = null;
  let clientOrigin = null;
  let browser = null;
  let page = null;
  try {
    server = await startServer(config, apiPort, serverLog);
    clientOrigin = await startClientOrigin(clientPort);
    const api = server.base;
    const clientBase = `http://127.0.0.1:${clientPort}`;
    log(`API on ${api}, the client's page on ${clientBase}`);

    browser = await launchChromium(chromium);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(`${clientBase}/`);
    check((await page.evaluate(() => location.origin)) !== api, 'the client page is not on another origin');

    const token = idToken('learner-7f3a');
    const request = { query: 'I want to learn how to value a company', hours: 2, preferences: { depth: 'balanced' } };

    // Create; the outline while generating (no workers yet): 200, no parts, the generation status.
    const created = expectStatus(await call(page, api, 'POST', '/courses/create', { token, body: request }), 202, 'create');
    const courseId = created.courseId;
    check(courseId && created.course_id === courseId && created.pending === true, `create answered ${JSON.stringify(created)}`);
    const pending = expectStatus(await call(page, api, 'GET', `/courses/${courseId}/outline`, { token }), 200, 'outline while generating');
    check(Array.isArray(pending.parts) && pending.parts.length === 0 && pending.generation_status,
      `the outline while generating is ${JSON.stringify(pending)}`);
    log(`created ${courseId}; its outline while generating: ${pending.generation_status.status}`);

    // A second course to delete while it is generating; a third is one too many (429, readable).
    const doomed = expectStatus(await call(page, api, 'POST', '/courses/create', { token, body: request }), 202, 'second create').courseId;
    const tooMany = await call(page, api, 'POST', '/courses/create', { token, body: request });
    check(expectStatus(tooMany, 429, 'third create').error_code === 'too_many_runs', `429 says ${JSON.stringify(tooMany.json)}`);
    check(tooMany.retryAfter, 'the page cannot read Retry-After of the 429');
    expectStatus(await call(page, api, 'DELETE', `/courses/${doomed}`, { token }), 204, 'delete while generating');
    expectStatus(await call(page, api, 'GET', `/courses/${doomed}/outline`, { token }), 404, 'outline of the deleted course');
    const tooLarge = await call(page, api, 'POST', '/courses/create', { token, rawBody: JSON.stringify({ query: 'x'.repeat(6000) }) });
    check(expectStatus(tooLarge, 413, 'a body over max_body_bytes').error_code === 'payload_too_large', '413 code');
    log('429 (with Retry-After), 404 and 413 are readable; a course deleted while generating is gone');

    // Unknown and expired tokens: 401, readable (the client redirects to its sign-in).
    for (const [label, bad] of [['an unknown token', 'not-a-jwt'], ['an expired token', idToken('learner-7f3a', { expiresIn: -3600 })]]) {
      const refused = await call(page, api, 'GET', '/courses', { token: bad });
      check(expectStatus(refused, 401, label).error_code === 'unauthorized', `${label}: ${JSON.stringify(refused.json)}`);
    }
    const listedPending = expectStatus(await call(page, api, 'GET', '/courses', { token }), 200, 'list while generating');
    check(listedPending.length === 1 && listedPending[0].courseId === courseId, `the list is ${JSON.stringify(listedPending)}`);
    const other = idToken('someone-else');
    check(expectStatus(await call(page, api, 'GET', '/courses', { token: other }), 200, 'list of another user').length === 0,
      'another user sees the course');

    // The workers run; then the outline is there.
    docprof(config, ['worker', '--drain']);
    const outline = expectStatus(await call(page, api, 'GET', `/courses/${courseId}/outline`, { token }), 200, 'outline when done');
    const leaves = outline.sections.filter((s) => s.parent_section_id);
    check(outline.parts.length > 0 && leaves.length >= 2 && outline.total_sections === leaves.length,
      `the finished outline has ${outline.parts.length} parts and ${leaves.length} sections`);
    log(`generated: ${outline.parts.length} parts, ${leaves.length} sections`);

    // docprof's own page: sign in with the id token, open the course, next section, mark complete.
    const own = await context.newPage();
    own.on('pageerror', (error) => problems.push(`docprof page error: ${error.message}`));
    await own.goto(`${api}/`);
    await own.getByLabel('API token').fill(token);
    await own.getByRole('button', { name: 'Sign in' }).click();
    const listed = own.locator(`#course-list .course-item[data-course-id="${courseId}"]`);
    await listed.click();
    await own.locator('#learner-progress').waitFor({ state: 'visible' });
    const countText = await own.locator('#learner-count').textContent();
    check(countText === `0 of ${leaves.length} sections completed`, `the page shows "${countText}"`);
    await own.locator('#next-section').click();
    await own.waitForFunction(() => /^Next: /.test(document.getElementById('next-section-text').textContent));
    const nextText = await own.locator('#next-section-text').textContent();
    check(nextText.startsWith(`Next: ${leaves[0].title}`), `"Next section" shows "${nextText}", expected ${leaves[0].title}`);
    const highlighted = await own.locator('#outline-parts .section.is-next').getAttribute('data-section-id');
    check(highlighted === leaves[0].section_id, `the highlighted section is ${highlighted}, expected ${leaves[0].section_id}`);
    await own.locator(`#outline-parts .section[data-section-id="${leaves[0].section_id}"] .mark-complete`).click();
    await own.waitForFunction((n) => document.getElementById('learner-count').textContent === `1 of ${n} sections completed`, leaves.length);
    check(await own.locator(`#outline-parts .section[data-section-id="${leaves[0].section_id}"] .section-done`).isVisible(),
      'the completed section is not marked Completed');
    fs.mkdirSync(artifactsDir, { recursive: true });
    await own.screenshot({ path: path.join(artifactsDir, 'web-page-progress.png'), fullPage: true });
    await own.close();
    log('docprof\'s page: "Next section" names and highlights it, "Mark complete" counts it');

    // The client's progress calls (no body, as axios posts without data).
    let next = expectStatus(await call(page, api, 'POST', `/courses/${courseId}/next`, { token }), 200, 'next section');
    check(next.section && next.section.section_id === leaves[1].section_id && next.section.title === leaves[1].title
      && next.section.estimated_minutes === leaves[1].estimated_minutes && typeof next.message === 'string',
      `next section is ${JSON.stringify(next)}, expected ${leaves[1].section_id}`);
    const marked = expectStatus(await call(page, api, 'POST', `/courses/section/${leaves[1].section_id}/complete`, { token }), 200, 'mark complete');
    check(typeof marked.message === 'string', `mark complete answered ${JSON.stringify(marked)}`);
    expectStatus(await call(page, api, 'POST', `/courses/section/${leaves[1].section_id}/complete`, { token }), 200, 'mark complete again');
    expectStatus(await call(page, api, 'POST', `/courses/section/${leaves[2] ? leaves[2].section_id : leaves[1].section_id}/complete`, { token: other }),
      404, "another user's section");
    expectStatus(await call(page, api, 'POST', '/courses/section/no-such-section/complete', { token }), 404, 'an unknown section');
    // Revision (issue 17): the client's revise call, refused when it cannot be done or is not the
    // caller's; then docprof's page revises with its revise box (202, success: true), the workers
    // run, and the page shows the revised outline with the completed sections still there.
    const revisePath = `/courses/${courseId}/revise`;
    const unsupported = await call(page, api, 'POST', revisePath, { token, body: { revision_request: 'make it more fun' } });
    check(expectStatus(unsupported, 422, 'revise: unsupported').error_code === 'unsupported_revision',
      `422 says ${JSON.stringify(unsupported.json)}`);
    expectStatus(await call(page, api, 'POST', revisePath, { token: other, body: { revision_request: 'make it 3 hours' } }),
      404, "revise another user's course");
    expectStatus(await call(page, api, 'POST', revisePath, { token, body: {} }), 400, 'revise without a request');
    const reviser = await context.newPage();
    reviser.on('pageerror', (error) => problems.push(`docprof page error: ${error.message}`));
    await reviser.goto(`${api}/`);
    await reviser.getByLabel('API token').fill(token);
    await reviser.getByRole('button', { name: 'Sign in' }).click();
    await reviser.locator(`#course-list .course-item[data-course-id="${courseId}"]`).click();
    await reviser.locator('#revise-form').waitFor({ state: 'visible' });
    await reviser.locator('#revision-request').fill('make it 3 hours');
    const [reviseAnswer] = await Promise.all([
      reviser.waitForResponse((r) => r.url().endsWith(revisePath) && r.request().method() === 'POST'),
      reviser.locator('#revise-course').click(),
    ]);
    const accepted = await reviseAnswer.json();
    check(reviseAnswer.status() === 202 && accepted.success === true && accepted.course_id === courseId,
      `the revise button got ${reviseAnswer.status()} ${JSON.stringify(accepted)}`);
    const busy = await call(page, api, 'POST', revisePath, { token, body: { revision_request: 'make it 4 hours' } });
    check(expectStatus(busy, 409, 'revise while revising').error_code === 'conflict', `409 says ${JSON.stringify(busy.json)}`);
    const whileRevising = expectStatus(await call(page, api, 'GET', `/courses/${courseId}/outline`, { token }), 200, 'outline while revising');
    check(whileRevising.parts.length === outline.parts.length && whileRevising.generation_status
      && whileRevising.generation_status.phase === 'revising', `the outline while revising is ${JSON.stringify(whileRevising.generation_status)}`);
    docprof(config, ['worker', '--drain']);
    await reviser.waitForFunction(() => {
      const total = document.getElementById('outline-total');
      return total && Number(total.dataset.minutes) >= 171 && Number(total.dataset.minutes) <= 189;
    });
    for (const kept of leaves.slice(0, 2)) {
      check(await reviser.locator(`#outline-parts .section[data-section-id="${kept.section_id}"] .section-done`).isVisible(),
        `the completed section "${kept.title}" is not on the revised outline`);
    }
    await reviser.screenshot({ path: path.join(artifactsDir, 'web-page-revised.png'), fullPage: true });
    await reviser.close();
    const revised = expectStatus(await call(page, api, 'GET', `/courses/${courseId}/outline`, { token }), 200, 'revised outline');
    check(revised.estimated_hours === 3, `the revised course has ${revised.estimated_hours} hours`);
    for (const kept of leaves.slice(0, 2)) {
      const row = revised.sections.find((s) => s.section_id === kept.section_id);
      check(row && row.status === 'completed' && row.title === kept.title && row.estimated_minutes === kept.estimated_minutes,
        `the completed section ${kept.section_id} changed: ${JSON.stringify(row)}`);
    }
    log(`revised to 3 hours: 422, 404, 400 and 409 readable; the page's revise box got 202 and shows the revised outline`);

    const revisedLeaves = revised.sections.filter((s) => s.parent_section_id);
    for (const section of revisedLeaves.filter((s) => s.status !== 'completed')) {
      expectStatus(await call(page, api, 'POST', `/courses/section/${section.section_id}/complete`, { token }), 200, `complete ${section.section_id}`);
    }
    next = expectStatus(await call(page, api, 'POST', `/courses/${courseId}/next`, { token }), 200, 'next when all are done');
    check(!next.section && typeof next.message === 'string', `next when all are done: ${JSON.stringify(next)}`);
    const done = expectStatus(await call(page, api, 'GET', `/courses/${courseId}/outline`, { token }), 200, 'outline when completed');
    check(done.completed_sections === revisedLeaves.length && done.status === 'completed',
      `after the last section: ${done.completed_sections}/${revisedLeaves.length} completed, course status ${done.status}`);
    const listedDone = expectStatus(await call(page, api, 'GET', '/courses', { token }), 200, 'list');
    check(listedDone.length === 1 && listedDone[0].status === 'completed', `the list is ${JSON.stringify(listedDone)}`);
    log(`next section and mark complete: ${revisedLeaves.length} sections done, the course is completed`);

    expectStatus(await call(page, api, 'DELETE', `/courses/${courseId}`, { token }), 204, 'delete');
    check(expectStatus(await call(page, api, 'GET', '/courses', { token }), 200, 'list after delete').length === 0,
      'the deleted course is still listed');
    check(problems.length === 0, `the browser reported problems:\n  ${problems.join('\n  ')}`);
    log('deleted; every answer was readable from the other origin');
  } catch (error) {
    await reportFailure('web_client_test', page, serverLog);
    throw error;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (clientOrigin) clientOrigin.close();
    await stopServer(server);
  }
}

await runTest('web_client_test', run);
