// Browser test of adding books from docprof's web page (issue 14): a real `docprof serve` with token
// auth and its workers (offline summaries), driven in headless Debian chromium through
// playwright-core. An admin signs in, uploads a PDF (printed by chromium itself from a page of
// chapters, with its outline) and an EPUB (written by pandoc from the Markdown fixture) through the
// "Add a book" form, sees each run's live progress (chapter i of N) and the book then listed in the
// Library; a non-admin sees the Library without the form; and a 300 MiB upload sent to the same
// server is refused with 413 from its head alone. Exits non-zero on any failure — including missing
// prerequisites (pandoc among them).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import {
  Failure, artifactsDir, check, docprof, freePort, launchChromium, loadPlaywright, sourceDir, startServer, stopServer, reportFailure, runTest,
} from './browser_support.mjs';

function log(message) {
  console.log(`[web_upload_test] ${message}`);
}

const PDF_CHAPTERS = [
  ['Brewing Basics', 'Water temperature decides what a tea gives up. Green leaves want water well below boiling; black tea takes it at a rolling boil. Steeping time matters as much as heat.'],
  ['Storing Leaves', 'Tea keeps best away from light, air, moisture and strong smells. An opaque tin with a tight lid, in a cupboard away from the stove, keeps leaves fresh for months.'],
  ['Tasting Notes', 'Tasters slurp to spread the liquor over the tongue. They note the aroma of the wet leaf, the body of the cup, its astringency and the finish that lingers.'],
];

// A PDF with one chapter a page and an outline of them, printed by the browser under test.
async function makePdf(browser, file) {
  const page = await browser.newPage();
  const chapters = PDF_CHAPTERS.map(([title, text], i) =>
    `<section style="page-break-after: always"><h1>${i + 1}. ${title}</h1>${`<p>${text}</p>`.repeat(6)}</section>`).join('');
  await page.setContent(`<!doctype html><html><head><title>A Small Book of Tea</title></head><body>${chapters}</body></html>`);
  await page.pdf({ path: file, format: 'A5', outline: true, tagged: true });
  await page.close();
}

function makeEpub(file) {
  try {
    execFileSync('pandoc', [path.join(sourceDir, 'tests/fixtures/ingest/field-guide.md'), '-o', file,
      '--metadata', 'title=A Field Guide to Version Control'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Failure(`pandoc could not write the EPUB (${error.message}): scripts/install-deps.sh installs it`);
  }
}

// Sends only the head of a 300 MiB upload; the status line of the answer, or '' after 3 s.
function oversizedUploadStatus(port, token) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const done = (value) => {
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(''), 3000);
    socket.on('connect', () => socket.write(
      'POST /books/ingest HTTP/1.1\r\nHost: x\r\n' +
      `Authorization: Bearer ${token}\r\n` +
      'Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 314572800\r\n\r\n'));
    socket.on('data', (data) => {
      answer += data.toString('latin1');
      if (answer.includes('\r\n')) {
        clearTimeout(timer);
        done(answer.slice(0, answer.indexOf('\r\n')));
      }
    });
    socket.on('error', () => done(answer));
  });
}

async function recordUploadProgress(page) {
  await page.evaluate(() => {
    const seen = { phases: [], chapters: [] };
    window.__uploadSeen = seen;
    // Every value set, not only the last of a batch: the text nodes each record added.
    const watch = (id, list) => new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          const text = node.textContent;
          if (text && list[list.length - 1] !== text) list.push(text);
        }
      }
    }).observe(document.getElementById(id), { childList: true });
    watch('upload-phase', seen.phases);
    watch('upload-chapter', seen.chapters);
  });
}

// Uploads `file` through the form and waits for its book; what the page showed on the way.
async function uploadThroughThePage(page, file, title) {
  await recordUploadProgress(page);
  await page.setInputFiles('#upload-file', file);
  if (title) await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await page.waitForFunction(() => {
    const phase = document.getElementById('upload-phase').textContent;
    return phase === 'Book ready' || !document.getElementById('upload-failure').hidden;
  }, null, { timeout: 120_000 });
  const failure = page.locator('#upload-failure');
  check(await failure.isHidden(), `the upload of ${path.basename(file)} failed: ${await failure.textContent()}`);
  const seen = await page.evaluate(() => window.__uploadSeen);
  check((await page.locator('#upload-bar').evaluate((bar) => bar.value)) === 100, 'the progress bar is not full');
  const chapterTexts = seen.chapters.filter((text) => /^Chapter \d+ of \d+$/.test(text));
  check(chapterTexts.length > 0, `"Chapter i of N" was never shown for ${path.basename(file)} (saw: ${seen.chapters.join(' | ')})`);
  check(seen.phases.includes('Summarizing the chapters') || seen.phases.includes('Reading the document'),
    `no phase of the run was shown (saw: ${seen.phases.join(' | ')})`);
  // The steps' log has each chapter's summary, in order, as the run's event stream delivered them.
  const log = await page.locator('#upload-log li').allTextContents();
  const total = Number(/of (\d+)$/.exec(chapterTexts[chapterTexts.length - 1])[1]);
  const summarized = log.map((line) => /Summarized chapter (\d+) of (\d+)/.exec(line)).filter(Boolean);
  check(summarized.length === total && summarized.every((m, i) => Number(m[1]) === i + 1 && Number(m[2]) === total),
    `the steps shown do not summarize chapters 1 to ${total} in order:\n  ${log.join('\n  ')}`);
  const steps = log.length;
  const message = (await page.locator('#upload-message').textContent()) || '';
  check(message.startsWith('Book ready: '), `the page says "${message}" at the end`);
  return { chapters: chapterTexts, steps, message };
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
  const tokenOf = (output) => output.trim().split('\n').pop().trim();
  const admin = tokenOf(docprof(config, ['auth', 'add-token', 'root', '--admin']));
  const alice = tokenOf(docprof(config, ['auth', 'add-token', 'alice']));
  check(/^\S{16,}$/.test(admin) && /^\S{16,}$/.test(alice), 'auth add-token printed no usable token');

  const port = await freePort();
  const serverLog = path.join(work, 'serve.log');
  let server = null;
  let browser = null;
  let page = null;
  try {
    server = await startServer(config, port, serverLog);
    log(`docprof serve on ${server.base}`);
    browser = await launchChromium(chromium);
    const pdf = path.join(work, 'tea.pdf');
    const epub = path.join(work, 'field-guide.epub');
    await makePdf(browser, pdf);
    makeEpub(epub);
    log(`documents made: ${path.basename(pdf)} (${fs.statSync(pdf).size} bytes), ${path.basename(epub)} (${fs.statSync(epub).size} bytes)`);

    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      if (/status of 401/.test(text)) return;  // the sign-in round trip, expected
      problems.push(`console error: ${text}`);
    });

    await page.goto(`${server.base}/`);
    await page.getByLabel('API token').fill(admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#upload-panel').waitFor({ state: 'visible' });
    log('signed in as an admin: the "Add a book" form is shown');

    const pdfShown = await uploadThroughThePage(page, pdf, '');
    log(`PDF ingested: ${pdfShown.message}; ${pdfShown.chapters.join(', ')}; ${pdfShown.steps} steps shown`);
    const epubShown = await uploadThroughThePage(page, epub, 'Version Control, Uploaded');
    log(`EPUB ingested: ${epubShown.message}; ${epubShown.chapters.join(', ')}; ${epubShown.steps} steps shown`);

    // Both books are in the library, as the API lists them, and in the page's Library list.
    const books = await (await fetch(`${server.base}/books`, { headers: { Authorization: `Bearer ${admin}` } })).json();
    const tea = books.find((b) => b.title === 'A Small Book of Tea');
    const guide = books.find((b) => b.title === 'Version Control, Uploaded');
    check(tea && guide, `GET /books does not list both uploaded books: ${JSON.stringify(books.map((b) => b.title))}`);
    check(tea.chapters >= PDF_CHAPTERS.length, `the PDF's book has ${tea.chapters} chapter(s), expected ${PDF_CHAPTERS.length}`);
    for (const book of [tea, guide]) {
      const item = page.locator(`#book-list .book-item[data-book-id="${book.book_id}"]`);
      await item.waitFor({ state: 'visible' });
      check(((await item.textContent()) || '').includes(book.title), `the Library does not show "${book.title}"`);
    }
    check(await page.locator(`#book-list .book-item.new-book[data-book-id="${guide.book_id}"]`).count() === 1,
      'the book just added is not marked in the Library');
    const uploads = path.join(work, 'docprof.db.uploads');
    const left = fs.existsSync(uploads) ? fs.readdirSync(uploads) : [];
    check(left.length === 0, `the finished runs left their uploads behind: ${left.join(', ')}`);
    log('both books are listed in the Library; no upload is left on disk');
    await page.screenshot({ path: path.join(artifactsDir, 'web-upload.png'), fullPage: true });

    // A token that is not an admin's sees the Library but no upload form.
    await page.locator('#sign-out').click();
    await page.getByLabel('API token').fill(alice);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator(`#book-list .book-item[data-book-id="${tea.book_id}"]`).waitFor({ state: 'visible' });
    check(await page.locator('#upload-panel').isHidden(), 'a non-admin is offered the upload form');
    log('a non-admin sees the Library without the form');

    const started = Date.now();
    const statusLine = await oversizedUploadStatus(port, admin);
    check(/^HTTP\/1\.1 413 /.test(statusLine), `a 300 MiB upload's head got "${statusLine}", expected 413`);
    check(Date.now() - started < 2000, 'the 413 waited for a body that was never sent');
    log(`a 300 MiB upload is refused from its head: ${statusLine}`);

    check(problems.length === 0, `the browser reported problems:\n  ${problems.join('\n  ')}`);
  } catch (error) {
    await reportFailure('web_upload_test', page, serverLog);
    throw error;
  } finally {
    if (browser) await browser.close().catch(() => {});
    await stopServer(server);
  }
}

await runTest('web_upload_test', run);
