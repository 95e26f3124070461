// docprof's library panel: the shared library's books (GET /books) and, for admin tokens, adding a
// book — the document is uploaded (POST /books/ingest, multipart/form-data, with the upload's own
// progress), then its ingestion run is followed over its event stream (chapter i of N) until the
// book joins the list. Whether the token may upload is asked of the server (GET /me), never
// guessed. Uses what app.js shares as window.docprof.
'use strict';

(() => {
  const api = window.docprof;
  const $ = (id) => document.getElementById(id);
  const MAX_RECONNECTS = 10;
  const UPLOAD_SHARE = 15;  // of the progress bar, for sending the document

  const PHASES = {
    initializing: 'Waiting for a worker',
    parsing: 'Reading the document',
    summarizing: 'Summarizing the chapters',
    storing: 'Embedding and storing the book',
    complete: 'Book ready',
    error: 'Ingestion failed',
  };

  const state = { run: null, highlight: '' };  // run: the ingestion being followed

  // ---- The books ----------------------------------------------------------------------------------

  let booksRequest = 0;
  async function loadBooks() {
    const request = ++booksRequest;
    try {
      const books = await api.apiJson('/books');
      if (request !== booksRequest) return;
      renderBooks(Array.isArray(books) ? books : []);
      api.showText($('books-error'), '');
    } catch (error) {
      if (request === booksRequest) api.showText($('books-error'), `Could not list the books: ${error.message}`);
    }
  }

  function renderBooks(books) {
    const list = $('book-list');
    list.replaceChildren();
    $('books-empty').hidden = books.length > 0;
    for (const book of books) {
      const item = api.el('li', 'book-item');
      item.dataset.bookId = book.book_id;
      if (book.book_id === state.highlight) item.classList.add('new-book');
      const chapters = Number(book.chapters);
      const meta = [book.author, Number.isFinite(chapters) && chapters > 0 ? `${chapters} chapters` : '']
        .filter(Boolean).join(' · ');
      item.append(api.el('span', 'book-title', book.title || book.book_id), api.el('span', 'book-meta', meta));
      list.append(item);
    }
  }

  // ---- Who may upload ---------------------------------------------------------------------------

  async function checkUploadRight() {
    if (!api.token()) {
      $('upload-panel').hidden = true;
      return;
    }
    try {
      const me = await api.apiJson('/me');
      $('upload-panel').hidden = !(me && me.admin === true);
    } catch (_) {
      $('upload-panel').hidden = true;
    }
  }

  // ---- Uploading ----------------------------------------------------------------------------------

  // Sends the form with XMLHttpRequest, the one browser API that reports an upload's progress.
  function send(form, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/books/ingest');
      const token = api.token();
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.responseType = 'json';
      xhr.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      });
      xhr.addEventListener('load', () => {
        const body = xhr.response || {};
        if (xhr.status === 202) resolve(body);
        else reject(new api.ApiError(xhr.status, body.error || `The server answered ${xhr.status}`, body.error_code));
      });
      xhr.addEventListener('error', () => reject(new Error('the upload did not reach the server')));
      xhr.send(form);
    });
  }

  function resetProgress(fileName) {
    $('upload-progress').hidden = false;
    $('upload-phase').textContent = 'Uploading';
    $('upload-chapter').textContent = '';
    $('upload-bar').value = 0;
    $('upload-message').textContent = fileName;
    api.showText($('upload-failure'), '');
    $('upload-log').replaceChildren();
  }

  function showPhase(phase, progress) {
    $('upload-phase').textContent = PHASES[phase] || PHASES.initializing;
    const chapters = Number(progress && progress.chapters) || 0;
    const done = Math.min(Number(progress && progress.chapter) || 0, chapters);
    if (chapters > 0) {
      // While summarizing, the chapter being summarized; before, how many there are; after, all done.
      let text = `${chapters} chapter${chapters === 1 ? '' : 's'}`;
      if (phase === 'summarizing') text = `Chapter ${Math.min(done + 1, chapters)} of ${chapters}`;
      else if (done > 0) text = `Chapter ${done} of ${chapters}`;
      $('upload-chapter').textContent = text;
      const bar = $('upload-bar');
      bar.value = Math.max(bar.value, UPLOAD_SHARE + Math.round(((95 - UPLOAD_SHARE) * done) / chapters));
    }
  }

  async function onUploadSubmit(event) {
    event.preventDefault();
    api.showText($('upload-error'), '');
    const file = $('upload-file').files[0];
    if (!file) {
      api.showText($('upload-error'), 'Please choose a document to upload.');
      return;
    }
    const form = new FormData();
    const title = $('upload-title').value.trim();
    if (title) form.append('title', title);
    form.append('file', file, file.name);
    const button = $('submit-upload');
    button.disabled = true;
    stopFollowing();
    resetProgress(file.name);
    try {
      const accepted = await send(form, (share) => {
        $('upload-bar').value = Math.round(UPLOAD_SHARE * share);
        $('upload-message').textContent = `Uploading ${file.name}: ${Math.round(100 * share)}%`;
      });
      $('upload-form').reset();
      await follow(accepted.ingest_id, file.name);
    } catch (error) {
      showFailure(error.message, error.code);
    } finally {
      button.disabled = false;
    }
  }

  // ---- Following the ingestion run --------------------------------------------------------------

  function stopFollowing() {
    if (state.run) state.run.controller.abort();
    state.run = null;
  }

  async function follow(ingestId, fileName) {
    const run = { ingestId, controller: new AbortController(), lastEventId: '', retryMs: 2000, done: false };
    state.run = run;
    $('upload-bar').value = UPLOAD_SHARE;
    $('upload-phase').textContent = PHASES.initializing;
    $('upload-message').textContent = `${fileName} uploaded; waiting for a worker…`;
    const path = `/books/ingest/${encodeURIComponent(ingestId)}`;
    for (let reconnects = 0; !run.done && !run.controller.signal.aborted; reconnects += 1) {
      try {
        if (await api.readEvents(`${path}/events`, run, (event) => onEvent(run, event))) reconnects = 0;
      } catch (error) {
        if (run.controller.signal.aborted) return;
        if (error instanceof api.ApiError) return showFailure(error.message, error.code);
      }
      if (run.done || run.controller.signal.aborted) return;
      // The stream ended without its last event: the run may be over already, else resume it.
      try {
        const status = await api.apiJson(path, { signal: run.controller.signal });
        if (status.status === 'complete') return finish(run, status);
        if (status.status === 'error') return showFailure(status.error || status.message, status.error_code);
      } catch (_) {
        // Unreachable for now: retried below.
      }
      if (reconnects >= MAX_RECONNECTS) return showFailure('Lost the connection to the server.');
      $('upload-message').textContent = `Connection lost; reconnecting (attempt ${reconnects + 1})…`;
      await api.sleep(run.retryMs, run.controller.signal);
    }
  }

  function onEvent(run, { event, data }) {
    if (state.run !== run) return;
    if (event === 'step' || event === 'note') {
      showPhase(data.phase, data.progress);
      if (data.message) $('upload-message').textContent = data.message;
      const text = [data.type, data.message].filter(Boolean).join(': ');
      if (text) $('upload-log').append(api.el('li', event === 'note' ? 'note' : '', text));
    } else if (event === 'complete') {
      finish(run, data);
    } else if (event === 'error') {
      showFailure(data.error || 'The book could not be ingested.', data.error_code);
    }
  }

  function finish(run, data) {
    run.done = true;
    showPhase('complete', data.progress);
    $('upload-bar').value = 100;
    $('upload-message').textContent = `Book ready: ${data.title || data.book_id}`;
    state.highlight = data.book_id || '';
    loadBooks();
  }

  function showFailure(message, code) {
    if (state.run) state.run.done = true;
    $('upload-progress').hidden = false;
    $('upload-phase').textContent = PHASES.error;
    api.showText($('upload-failure'), code ? `${message} (${code})` : message);
  }

  // ---- Start ----------------------------------------------------------------------------------------

  $('upload-form').addEventListener('submit', onUploadSubmit);
  $('refresh-books').addEventListener('click', loadBooks);
  document.addEventListener('docprof:session', () => {
    if (!api.token()) {
      stopFollowing();
      $('upload-panel').hidden = true;
      $('book-list').replaceChildren();
      return;
    }
    loadBooks();
    checkUploadRight();
  });
  if (api.token()) {
    loadBooks();
    checkUploadRight();
  }
})();
