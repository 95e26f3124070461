// Browser test of docprof's web page (issue 5): a real `docprof serve` with token auth and the
// offline (extractive) planner over the sample library, driven in headless Debian chromium through
// playwright-core. It signs in with a token, submits the form, waits for the live progress to reach
// the outline, checks the outline against the API (parts, sections, minutes totalling 360,
// objectives, the reading references under each section), checks "My courses", reloads (the token
// is kept for the tab), opens the course from the list, opens a course whose answers carried Note
// and Read lines (notes above the outline, references under the sections), and saves a screenshot. Exits non-zero on any failure — including missing prerequisites.
//
// Environment: see browser_support.mjs (DOCPROF_BINARY, DOCPROF_SOURCE_DIR, TEST_ARTIFACTS_DIR, CHROMIUM).
import fs from 'node:fs';
import path from 'node:path';

import {
  artifactsDir, check, docprof, freePort, launchChromium, loadPlaywright, sourceDir, startServer, stopServer, reportFailure, runTest,
} from './browser_support.mjs';

const REQUEST = 'I want to learn how to value a company';
const HOURS = 6;
const EXPECTED_MINUTES = HOURS * 60;

function log(message) {
  console.log(`[web_page_test] ${message}`);
}

// ---- The checks ----------------------------------------------------------------------------------------

async function checkStaticFiles(base) {
  for (const [route, type] of [['/', 'text/html'], ['/index.html', 'text/html'],
    ['/app.js', 'text/javascript'], ['/style.css', 'text/css']]) {
    const response = await fetch(base + route);
    check(response.status === 200, `GET ${route}: status ${response.status}, expected 200 without a token`);
    check((response.headers.get('content-type') || '').startsWith(type),
      `GET ${route}: Content-Type ${response.headers.get('content-type')}, expected ${type}`);
    check(response.headers.get('cache-control') === 'no-cache', `GET ${route}: Cache-Control is not no-cache`);
    const csp = response.headers.get('content-security-policy') || '';
    check(/script-src 'self'/.test(csp) && !/unsafe-inline/.test(csp),
      `GET ${route}: Content-Security-Policy "${csp}" does not restrict scripts to 'self'`);
  }
  const api = await fetch(`${base}/courses`);
  check(api.status === 401, `GET /courses without a token: status ${api.status}, expected 401 (auth on)`);
}

async function outlineFromApi(base, token, courseId) {
  const response = await fetch(`${base}/courses/${encodeURIComponent(courseId)}/outline`,
    { headers: { Authorization: `Bearer ${token}` } });
  check(response.ok, `GET /courses/${courseId}/outline: status ${response.status}`);
  return response.json();
}

async function readOutline(page) {
  return page.evaluate(() => {
    const minutes = (node) => Number(node.dataset.minutes);
    const parts = [...document.querySelectorAll('#outline-parts .part')].map((part) => ({
      title: part.querySelector('.part-title').textContent,
      minutes: minutes(part),
      sections: [...part.querySelectorAll('.section')].map((section) => ({
        title: section.querySelector('.section-title').textContent,
        minutes: minutes(section),
        objectives: section.querySelectorAll('.objective').length,
      })),
    }));
    const total = document.getElementById('outline-total');
    return { title: document.getElementById('outline-title').textContent, total: total ? minutes(total) : NaN, parts };
  });
}

function checkOutline(rendered, api, label, expectedMinutes = EXPECTED_MINUTES) {
  const sections = rendered.parts.flatMap((p) => p.sections);
  const sectionMinutes = sections.reduce((sum, s) => sum + s.minutes, 0);
  const partMinutes = rendered.parts.reduce((sum, p) => sum + p.minutes, 0);
  check(rendered.parts.length > 0, `${label}: no part rendered`);
  check(rendered.parts.length === api.parts.length,
    `${label}: ${rendered.parts.length} parts rendered, the API has ${api.parts.length}`);
  check(sections.length === api.total_sections,
    `${label}: ${sections.length} sections rendered, the API has ${api.total_sections}`);
  check(rendered.parts.every((p) => p.sections.length > 0), `${label}: a part has no section rendered`);
  check(sectionMinutes === expectedMinutes, `${label}: the sections' minutes total ${sectionMinutes}, expected ${expectedMinutes}`);
  check(partMinutes === expectedMinutes, `${label}: the parts' minutes total ${partMinutes}, expected ${expectedMinutes}`);
  check(rendered.total === expectedMinutes, `${label}: the total shown is ${rendered.total} minutes, expected ${expectedMinutes}`);
  const apiObjectives = api.sections.filter((s) => s.parent_section_id)
    .reduce((sum, s) => sum + s.learning_objectives.length, 0);
  const objectives = sections.reduce((sum, s) => sum + s.objectives, 0);
  check(sections.every((s) => s.objectives > 0), `${label}: a section has no objective rendered`);
  check(objectives === apiObjectives, `${label}: ${objectives} objectives rendered, the API has ${apiObjectives}`);
  check(rendered.title === api.title, `${label}: title "${rendered.title}", the API says "${api.title}"`);
  return { parts: rendered.parts.length, sections: sections.length, objectives };
}

// The reading references under each section, as the page shows them and as the API gives them.
async function readSources(page) {
  return page.evaluate(() => [...document.querySelectorAll('#outline-parts .section')]
    .map((section) => [...section.querySelectorAll('.source')].map((node) => node.textContent)));
}

function sourceText(source) {
  let text = `Read: ${source.book_title}, ch. ${source.chapter_number} “${source.chapter_title}”`;
  if (source.section_title) text += ` § ${source.section_title}`;
  return text;
}

function checkSources(rendered, api, label) {
  const expected = api.parts.flatMap((part) => part.sections.map((section) => section.sources.map(sourceText)));
  check(JSON.stringify(rendered) === JSON.stringify(expected),
    `${label}: the reading shown per section ${JSON.stringify(rendered)} differs from the API's ${JSON.stringify(expected)}`);
  return rendered.reduce((sum, list) => sum + list.length, 0);
}

// A course whose model answers carry Note and Read lines (created with a replay cassette before the
// server started): its notes show above the outline, its reading references under the sections.
const NOTES_REQUEST = 'I want to learn corporate valuation';
function writeNotesCassette(file, bookId) {
  const answers = [
    { task: 'generate_course_parts', response: 'Course title: Valuation Principles\n'
      + 'Part 1: Value Creation and Cash Flow - 60 minutes\nTotal: 60 minutes\n'
      + 'Note (uncovered_topic: real options): The library has no material on real options\n'
      + 'Note: Assumes basic accounting' },
    { task: 'generate_part_sections_0', response: '## Part 1: Value Creation and Cash Flow\n\n'
      + '### Section 1: The Core Valuation Principle - 30 minutes\nLearning objectives:\n'
      + '- Relate value to growth and return on capital\n- Explain the conservation of value\n'
      + `Read: ${bookId} ch 3 § the core valuation principle\n\n`
      + '### Section 2: Reading the Market - 30 minutes\nLearning objectives:\n'
      + '- Explain why markets follow fundamentals\n- Separate noise from value\n'
      + `Read: ${bookId} ch 7\n\nTotal for this part: 60 minutes` },
  ];
  fs.writeFileSync(file, answers.map((answer) => JSON.stringify(answer)).join('\n') + '\n');
}

async function checkNotesAndSources(page, base, token, courseId, bookTitle) {
  await page.locator(`#course-list .course-item[data-course-id="${courseId}"]`).click();
  await page.waitForFunction(() => document.querySelectorAll('#outline-notes .outline-note').length > 0);
  const api = await outlineFromApi(base, token, courseId);
  const notes = await page.locator('#outline-notes .outline-note').allTextContents();
  const expectedNotes = ['Note (uncovered topic: real options): The library has no material on real options',
    'Note: Assumes basic accounting'];
  check(api.notes.length === 2, `the API has ${api.notes.length} notes, expected 2`);
  check(JSON.stringify(notes) === JSON.stringify(expectedNotes), `the notes shown are ${JSON.stringify(notes)}`);
  const notesBox = await page.locator('#outline-notes').boundingBox();
  const firstPart = await page.locator('#outline-parts .part').first().boundingBox();
  check(notesBox && firstPart && notesBox.y < firstPart.y, 'the notes are not shown above the outline');
  const rendered = await readSources(page);
  checkSources(rendered, api, 'a course with Read lines');
  check(rendered[0][0] === `Read: ${bookTitle}, ch. 3 “Fundamental Principles of Value Creation” § The core valuation principle`,
    `the first section's reading reads "${rendered[0][0]}"`);
  check(rendered[1].length === 1 && /, ch\. 7 “The Stock Market Is Smarter Than You Think”$/.test(rendered[1][0]),
    `the second section's reading reads ${JSON.stringify(rendered[1])}`);
  log(`notes shown above the outline (${notes.length}); reading references under each section`);
}

// Records every text the progress panel shows (phase, "part i of N") while a course is generated.
async function recordProgress(page) {
  await page.evaluate(() => {
    const seen = { phases: [], parts: [] };
    window.__progressSeen = seen;
    // Every value set, not only the last of a batch: the text nodes each record added.
    const watch = (id, list) => new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          const text = node.textContent;
          if (text && list[list.length - 1] !== text) list.push(text);
        }
      }
    }).observe(document.getElementById(id), { childList: true });
    watch('progress-phase', seen.phases);
    watch('progress-part', seen.parts);
  });
}

// Waits until the progress panel shows a course other than `previousId` as generated; its id.
async function waitForGenerated(page, previousId) {
  await page.waitForFunction((previous) => {
    const id = (document.getElementById('progress-course').textContent || '').replace(/^Course /, '').trim();
    const error = document.getElementById('progress-error');
    return id && id !== previous && (!error.hidden || document.getElementById('progress-title').textContent.startsWith('Generated:'));
  }, previousId, { timeout: 180_000 });
  check(await page.locator('#progress-error').isHidden(),
    `the progress panel shows an error: ${await page.locator('#progress-error').textContent()}`);
  await page.locator('#outline-panel').waitFor({ state: 'visible' });
  return ((await page.locator('#progress-course').textContent()) || '').replace(/^Course /, '').trim();
}

// A stream that drops mid-run is resumed with Last-Event-ID: the first connection is cut after three
// events (and the status route says the run is still going), the page reconnects and must receive
// the rest of the events exactly once.
async function checkReconnect(page, base, token, firstId) {
  const HOURS_2 = 2;
  let eventsRequests = 0;
  let cutAfter = '';
  let streamed = 0;  // step and note events of the whole stream
  const resumedFrom = [];
  let statusFaked = false;
  await page.route('**/courses/*/events', async (route) => {
    eventsRequests += 1;
    if (eventsRequests > 1) {
      resumedFrom.push(route.request().headers()['last-event-id'] || '');
      await route.continue();
      return;
    }
    const whole = await (await route.fetch({ timeout: 120_000 })).text();  // to the final event
    const frames = whole.split('\n\n').filter((frame) => /^id: \d+$/m.test(frame));
    streamed = frames.filter((frame) => /^event: (step|note)$/m.test(frame)).length;
    check(frames.length > 4, `the event stream had only ${frames.length} events`);
    cutAfter = /^id: (\d+)$/m.exec(frames[2])[1];
    await route.fulfill({
      status: 200,
      headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' },
      body: `retry: 200\n\n${frames.slice(0, 3).join('\n\n')}\n\n`,
    });
  });
  await page.route('**/courses/*/status', async (route) => {
    if (statusFaked) return route.continue();
    statusFaked = true;
    return route.fulfill({ status: 200, contentType: 'application/json',
      body: JSON.stringify({ status: 'processing', phase: 'generating_sections', progress: {} }) });
  });

  await page.getByLabel('What do you want to learn?').fill('Teach me corporate valuation basics');
  await page.getByLabel('Hours').fill(String(HOURS_2));
  await page.getByRole('button', { name: 'Create the course' }).click();
  const courseId = await waitForGenerated(page, firstId);
  await page.unroute('**/courses/*/events');
  await page.unroute('**/courses/*/status');

  check(eventsRequests === 2, `the page opened the event stream ${eventsRequests} time(s), expected 2 (one reconnect)`);
  check(resumedFrom[0] === cutAfter, `the reconnect sent Last-Event-ID "${resumedFrom[0]}", expected "${cutAfter}"`);
  const shown = await page.locator('#progress-log li').count();
  check(shown === streamed, `after the reconnect ${shown} steps were shown, the stream has ${streamed} (lost or duplicated)`);
  const api = await outlineFromApi(base, token, courseId);
  checkOutline(await readOutline(page), api, 'after a reconnect', HOURS_2 * 60);
  log(`a dropped stream resumed with Last-Event-ID ${cutAfter}: ${shown} steps shown once each, outline of ${HOURS_2 * 60} minutes`);
  return courseId;
}

// A request no book is relevant to fails: the stream's `error` event is shown, and so is the failed
// course when it is opened from My courses.
async function checkFailure(page, previousId) {
  await page.getByLabel('What do you want to learn?').fill('Teach me underwater basket weaving');
  await page.getByLabel('Hours').fill('1');
  await page.getByRole('button', { name: 'Create the course' }).click();
  await page.waitForFunction((previous) => {
    const id = (document.getElementById('progress-course').textContent || '').replace(/^Course /, '').trim();
    return id && id !== previous && !document.getElementById('progress-error').hidden;
  }, previousId, { timeout: 180_000 });
  const shown = (await page.locator('#progress-error').textContent()) || '';
  check(/no book in the library is relevant/.test(shown) && /no_relevant_books/.test(shown),
    `the failed run shows "${shown}", not the stream's error event`);
  check(await page.locator('#outline-panel').isHidden(), 'an outline is shown for a failed run');
  const failedId = ((await page.locator('#progress-course').textContent()) || '').replace(/^Course /, '').trim();
  const listed = page.locator(`#course-list .course-item[data-course-id="${failedId}"]`);
  await page.waitForFunction((id) => {
    const item = document.querySelector(`#course-list .course-item[data-course-id="${id}"]`);
    return item && /Failed/.test(item.textContent);
  }, failedId);
  await page.locator(`#course-list .course-item[data-course-id="${previousId}"]`).click();
  await page.locator('#outline-panel').waitFor({ state: 'visible' });
  await listed.click();
  await page.locator('#progress-error').waitFor({ state: 'visible' });
  check(/no book in the library is relevant/.test((await page.locator('#progress-error').textContent()) || ''),
    'opening the failed course from My courses does not show its error');
  check(await page.locator('#outline-panel').isHidden(), 'the failed course shows an outline');
  log(`a failed run shows its error: ${shown}`);
}

async function run(work) {
  const { chromium } = await loadPlaywright();
  fs.mkdirSync(artifactsDir, { recursive: true });
  const config = path.join(work, 'docprof.toml');
  fs.writeFileSync(config, [
    '[storage]', `path = ${JSON.stringify(path.join(work, 'docprof.db'))}`,
    '[auth]', 'mode = "tokens"', `tokens_file = ${JSON.stringify(path.join(work, 'tokens.txt'))}`,
    '[server]', 'threads = 8', '',
  ].join('\n'));

  const token = docprof(config, ['auth', 'add-token', 'alice']).trim().split('\n').pop().trim();
  check(/^\S{16,}$/.test(token), `auth add-token printed no usable token: "${token}"`);
  docprof(config, ['books', 'import', path.join(sourceDir, 'examples/library')]);
  log('tokens file and library ready');
  const books = JSON.parse(docprof(config, ['books', 'list', '--json']));
  const valuationBook = books.find((book) => book.title.startsWith('Valuation: Measuring and Managing'));
  check(valuationBook, 'the sample library has no McKinsey Valuation book');
  const cassette = path.join(work, 'notes.jsonl');
  writeNotesCassette(cassette, valuationBook.book_id);
  const notesCourse = JSON.parse(docprof(config, ['course', 'create', NOTES_REQUEST, '--hours', '1', '--user', 'alice',
    '--llm', `replay:${cassette}`, '--json']));
  check(notesCourse.course_id && notesCourse.notes.length === 2, `the course with notes was not created: ${JSON.stringify(notesCourse)}`);

  const port = await freePort();
  const serverLog = path.join(work, 'serve.log');
  let server = null;
  let browser = null;
  let page = null;
  try {
    server = await startServer(config, port, serverLog);
    log(`docprof serve on ${server.base}`);
    await checkStaticFiles(server.base);

    browser = await launchChromium(chromium);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      if (/status of 40[01]/.test(text)) return;  // the sign-in round trip and the rejected form, expected
      problems.push(`console error: ${text}`);
    });

    await page.goto(`${server.base}/`);
    check((await page.title()).includes('docprof'), 'the page has no docprof title');

    // Auth is on: the page asks for the token (once).
    const tokenInput = page.getByLabel('API token');
    await tokenInput.waitFor({ state: 'visible' });
    await tokenInput.fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#token-panel').waitFor({ state: 'hidden' });
    await page.locator('#sign-out').waitFor({ state: 'visible' });
    log('signed in');

    // The form: the API's validation error is shown, then a valid request goes through.
    await page.getByLabel('What do you want to learn?').fill(REQUEST);
    await page.getByLabel('Hours').fill('0');
    await page.getByRole('button', { name: 'Create the course' }).click();
    await page.locator('#form-error').waitFor({ state: 'visible' });
    const formError = (await page.locator('#form-error').textContent()) || '';
    check(/hours must be between 0\.25 and 100/.test(formError), `the form shows "${formError}", not the API's error`);
    log(`a bad request shows the API's error: ${formError}`);
    await recordProgress(page);
    await page.getByLabel('Hours').fill(String(HOURS));
    await page.getByLabel('Depth').selectOption('balanced');
    await page.getByLabel('Pace').selectOption('moderate');
    await page.getByLabel('Presentation style').fill('practical, with worked examples');
    await page.getByLabel('Notes').fill('I know basic accounting.');
    await page.getByRole('button', { name: 'Create the course' }).click();

    const courseId = await waitForGenerated(page, '');
    log(`course ${courseId} generated, followed over its event stream`);
    check((await page.locator('#progress-bar').evaluate((bar) => bar.value)) === 100, 'the progress bar is not full');
    const phase = await page.locator('#progress-phase').textContent();
    check(phase === 'Course ready', `the progress phase reads "${phase}", expected "Course ready"`);
    const steps = await page.locator('#progress-log li').count();
    check(steps >= 5, `only ${steps} step(s) of the event stream were shown`);
    const seen = await page.evaluate(() => window.__progressSeen);
    for (const phaseLabel of ['Finding relevant books', 'Planning the course parts', 'Writing the sections of each part', 'Course ready'])
      check(seen.phases.includes(phaseLabel), `the phase "${phaseLabel}" was never shown (saw: ${seen.phases.join(' | ')})`);
    check(seen.parts.some((text) => /^Part \d+ of \d+$/.test(text)), `"Part i of N" was never shown (saw: ${seen.parts.join(' | ')})`);

    const api = await outlineFromApi(server.base, token, courseId);
    const counts = checkOutline(await readOutline(page), api, 'after generation');
    const sourcesShown = checkSources(await readSources(page), api, 'after generation');
    check(sourcesShown > 0, 'no section of the planned course shows what to read');
    log(`outline rendered: ${counts.parts} parts, ${counts.sections} sections, ${EXPECTED_MINUTES} minutes, ${counts.objectives} objectives; ${steps} steps shown`);

    // My courses lists it, ready.
    const listed = page.locator(`#course-list .course-item[data-course-id="${courseId}"]`);
    await listed.waitFor({ state: 'visible' });
    await page.waitForFunction((id) => {
      const item = document.querySelector(`#course-list .course-item[data-course-id="${id}"]`);
      return item && /Ready/.test(item.textContent);
    }, courseId);
    check(((await listed.textContent()) || '').includes(api.title), 'My courses does not show the course title');

    fs.mkdirSync(artifactsDir, { recursive: true });
    const screenshot = path.join(artifactsDir, 'web-page.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    log(`screenshot: ${screenshot}`);

    // A reload keeps the token for the tab (no second prompt); the list opens the outline.
    await page.reload();
    await listed.waitFor({ state: 'visible' });
    check(await page.locator('#token-panel').isHidden(), 'the token was asked for again after a reload');
    await listed.click();
    await page.locator('#outline-panel').waitFor({ state: 'visible' });
    checkOutline(await readOutline(page), api, 'opened from My courses');
    check((await listed.getAttribute('aria-current')) === 'true', 'the opened course is not marked current');
    log('My courses lists the course and opens its outline');
    await checkNotesAndSources(page, server.base, token, notesCourse.course_id, valuationBook.title);

    const secondId = await checkReconnect(page, server.base, token, courseId);
    await checkFailure(page, secondId);

    // Signing out forgets the token: the page asks again.
    await page.locator('#sign-out').click();
    await tokenInput.waitFor({ state: 'visible' });
    check((await page.evaluate(() => sessionStorage.length)) === 0, 'sign-out left the token in sessionStorage');
    log('sign-out clears the token');

    check(problems.length === 0, `the browser reported problems:\n  ${problems.join('\n  ')}`);
  } catch (error) {
    await reportFailure('web_page_test', page, serverLog);
    throw error;
  } finally {
    if (browser) await browser.close().catch(() => {});
    await stopServer(server);
  }
}

await runTest('web_page_test', run);
