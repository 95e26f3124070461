// docprof's web page: request a course, follow its generation live, read the outline, list my courses,
// and keep track of the sections studied (the next section to study, mark a section complete).
// Plain JavaScript, no framework, served by `docprof serve` under a CSP that allows only this origin.
// The library panel (the books, and uploads for admins) is library.js, which uses what this file
// shares as window.docprof.
// The event stream is read with fetch() + a ReadableStream (an EventSource cannot send the
// Authorization header), parsed as Server-Sent Events, and resumed with Last-Event-ID if it drops.
'use strict';

(() => {
  const TOKEN_KEY = 'docprof.token';
  const MAX_RECONNECTS = 10;

  const $ = (id) => document.getElementById(id);
  const state = {
    token: sessionStorage.getItem(TOKEN_KEY) || '',
    follow: null,         // the stream being followed: {courseId, controller, lastEventId, ...}
    selectedId: '',       // the course shown in the outline / progress panels
    tokenRequest: null,   // {promise, resolve} while the sign-in form waits for a token
  };

  // Phases of domain.md §8 with their label and where the progress bar stands when they start.
  const PHASES = {
    initializing: ['Waiting for a worker', 2],
    searching_books: ['Finding relevant books', 10],
    generating_parts: ['Planning the course parts', 20],
    generating_sections: ['Writing the sections of each part', 25],
    reviewing_outline: ['Reviewing the timing of the outline', 88],
    storing: ['Storing the course', 95],
    complete: ['Course ready', 100],
    error: ['Generation failed', 100],
    revising: ['Revising the course', 30],
  };
  const STATUS_LABELS = {
    generating: 'Generating',
    error: 'Failed',
    active: 'Ready',
    completed: 'Completed',
    archived: 'Archived',
    processing: 'Generating',
    complete: 'Ready',
  };

  class ApiError extends Error {
    constructor(status, message, code) {
      super(message);
      this.status = status;
      this.code = code || '';
    }
  }

  // ---- HTTP helpers ---------------------------------------------------------------------------

  async function errorFrom(response) {
    let message = `The server answered ${response.status} ${response.statusText}`.trim();
    let code = '';
    try {
      const body = await response.json();
      if (body && typeof body.error === 'string') {
        message = body.error;
        code = body.error_code || '';
      }
    } catch (_) {
      // Not a JSON body: keep the status line.
    }
    return new ApiError(response.status, message, code);
  }

  // fetch() with the bearer token; a 401 asks for a token (the sign-in form) and tries again.
  async function apiFetch(path, options = {}) {
    for (;;) {
      const used = state.token;
      const headers = new Headers(options.headers || {});
      if (used) headers.set('Authorization', `Bearer ${used}`);
      const response = await fetch(path, { ...options, headers, cache: 'no-store' });
      if (response.status !== 401) return response;
      const error = await errorFrom(response);
      if (state.token !== used) continue;  // signed in meanwhile: retry with the new token
      await askForToken(used ? `That token was not accepted (${error.message}).` : '');
    }
  }

  async function apiJson(path, options) {
    const response = await apiFetch(path, options);
    if (!response.ok) throw await errorFrom(response);
    if (response.status === 204) return null;
    return response.json();
  }

  const coursePath = (id, rest) => `/courses/${encodeURIComponent(id)}${rest || ''}`;
  const sleep = (ms, signal) => new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (signal) signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

  // ---- Sign in / sign out -----------------------------------------------------------------------

  function askForToken(message) {
    if (state.token) setToken('');
    if (!state.tokenRequest) {
      let resolve;
      const promise = new Promise((r) => { resolve = r; });
      state.tokenRequest = { promise, resolve };
    }
    $('token-panel').hidden = false;
    showText($('token-error'), message);
    $('token-input').focus();
    return state.tokenRequest.promise;
  }

  function setToken(token) {
    const changed = token !== state.token;
    state.token = token;
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
    updateSession();
    // The library panel (library.js) asks again what this token may do.
    if (changed) document.dispatchEvent(new CustomEvent('docprof:session'));
  }

  function updateSession() {
    $('sign-out').hidden = !state.token;
    $('session-state').textContent = state.token ? 'Signed in with an API token' : '';
  }

  function onTokenSubmit(event) {
    event.preventDefault();
    const token = $('token-input').value.trim();
    if (!token) {
      showText($('token-error'), 'Please enter your API token.');
      return;
    }
    $('token-input').value = '';
    showText($('token-error'), '');
    $('token-panel').hidden = true;
    setToken(token);
    const request = state.tokenRequest;
    state.tokenRequest = null;
    if (request) request.resolve();
  }

  function signOut() {
    stopFollowing();
    setToken('');
    state.selectedId = '';
    $('course-list').replaceChildren();
    $('progress-panel').hidden = true;
    $('outline-panel').hidden = true;
    showText($('global-error'), '');
    loadCourses();  // asks for a token again when the server requires one
  }

  // ---- Small DOM helpers ------------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function showText(node, text) {
    node.textContent = text || '';
    node.hidden = !text;
  }

  function formatMinutes(minutes) {
    const m = Math.round(Number(minutes) || 0);
    if (m < 60) return `${m} min`;
    const h = Math.floor(m / 60);
    const rest = m % 60;
    return rest ? `${h} h ${rest} min` : `${h} h`;
  }

  function formatDate(text) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
  }

  // ---- The course form ----------------------------------------------------------------------------

  async function onCourseSubmit(event) {
    event.preventDefault();
    const errorNode = $('form-error');
    showText(errorNode, '');
    const query = $('query').value.trim();
    if (!query) {
      showText(errorNode, 'Please describe what you want to learn.');
      $('query').focus();
      return;
    }
    const hoursText = $('hours').value.trim();
    const preferences = { depth: $('depth').value, pace: $('pace').value };
    const style = $('presentation_style').value.trim();
    const notes = $('additional_notes').value.trim();
    if (style) preferences.presentation_style = style;
    if (notes) preferences.additional_notes = notes;
    const body = { query, preferences };
    if (hoursText) body.hours = Number.isFinite(Number(hoursText)) ? Number(hoursText) : hoursText;

    const button = $('submit-course');
    button.disabled = true;
    try {
      const created = await apiJson('/courses', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      loadCourses();
      followCourse(created.course_id, created.title);
    } catch (error) {
      showText(errorNode, error.message);
    } finally {
      button.disabled = false;
    }
  }

  // ---- Live progress (Server-Sent Events over fetch) ------------------------------------------

  function stopFollowing() {
    if (state.follow) state.follow.controller.abort();
    state.follow = null;
  }

  function resetProgress(courseId, title) {
    $('progress-panel').hidden = false;
    $('progress-title').textContent = title ? `Generating: ${title}` : 'Generating';
    $('progress-course').textContent = `Course ${courseId}`;
    $('progress-phase').textContent = PHASES.initializing[0];
    $('progress-part').textContent = '';
    $('progress-bar').value = 0;
    $('progress-message').textContent = 'Connecting to the event stream…';
    showText($('progress-error'), '');
    $('progress-log').replaceChildren();
  }

  async function followCourse(courseId, title) {
    stopFollowing();
    selectCourse(courseId);
    $('outline-panel').hidden = true;
    resetProgress(courseId, title);
    const follow = {
      courseId,
      controller: new AbortController(),
      lastEventId: '',
      retryMs: 2000,
      done: false,
      partsDone: 0,
      totalParts: 0,
    };
    state.follow = follow;
    const signal = follow.controller.signal;
    let reconnects = 0;
    while (!follow.done && !signal.aborted) {
      try {
        const progressed = await readStream(follow);
        if (progressed) reconnects = 0;
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ApiError) {  // the server refused the stream (404, 500 …)
          showFailure(follow, error.message);
          return;
        }
      }
      if (follow.done || signal.aborted) return;
      // The stream ended without a final event: the run may be over already, else resume it.
      try {
        const status = await apiJson(coursePath(courseId, '/status'), { signal });
        if (status.status === 'complete') {
          await finish(follow, { course_id: courseId, title: status.progress ? status.progress.title : '' });
          return;
        }
        if (status.status === 'error') {
          showFailure(follow, status.error || status.message, status.error_code);
          return;
        }
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ApiError && error.status === 404) {
          showFailure(follow, error.message);
          return;
        }
      }
      reconnects += 1;
      if (reconnects > MAX_RECONNECTS) {
        showFailure(follow, 'Lost the connection to the server. Select the course in "My courses" to try again.');
        return;
      }
      $('progress-message').textContent = `Connection lost; reconnecting (attempt ${reconnects})…`;
      await sleep(follow.retryMs, signal);
    }
  }

  // Reads one connection of the course's stream; true when it delivered at least one event.
  function readStream(follow) {
    return readEvents(coursePath(follow.courseId, '/events'), follow, (event) => handleEvent(follow, event), () => {
      $('progress-message').textContent = 'Connected; waiting for the next step…';
    });
  }

  // Reads one connection of an event stream (a course's or an ingestion run's): resumes after
  // cursor.lastEventId, hands each event to onEvent until cursor.done; true when it delivered one.
  // cursor: {controller, lastEventId, retryMs, done}.
  async function readEvents(path, cursor, onEvent, onOpen) {
    const headers = { Accept: 'text/event-stream' };
    if (cursor.lastEventId) headers['Last-Event-ID'] = cursor.lastEventId;
    const response = await apiFetch(path, { headers, signal: cursor.controller.signal });
    if (!response.ok) throw await errorFrom(response);
    if (!response.body) throw new Error('this browser cannot read a streamed response');
    if (onOpen) onOpen();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let delivered = false;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return delivered;
        buffer += value;
        buffer = buffer.replace(/\r\n/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseFrame(frame, cursor);
          if (!event) continue;
          delivered = true;
          onEvent(event);
          if (cursor.done) return true;
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  // One SSE frame (the lines before a blank line): {event, id, data}; null for comments/retry only.
  function parseFrame(frame, cursor) {
    let event = 'message';
    let id = null;
    const data = [];
    for (const line of frame.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id' && !value.includes('\0')) id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) cursor.retryMs = Number(value);
    }
    if (id !== null) cursor.lastEventId = id;
    if (data.length === 0) return null;
    let parsed = null;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch (_) {
      parsed = { message: data.join('\n') };
    }
    return { event, id, data: parsed || {} };
  }

  function handleEvent(follow, { event, data }) {
    if (state.follow !== follow) return;
    switch (event) {
      case 'step':
        addLog(data, false);
        updateProgress(follow, data);
        break;
      case 'note':
        addLog(data, true);
        if (data.message) $('progress-message').textContent = data.message;
        break;
      case 'complete':
        follow.done = true;
        finish(follow, data);
        break;
      case 'error':
        follow.done = true;
        showFailure(follow, data.error || 'The course could not be generated.', data.error_code);
        loadCourses();
        break;
      default:
        break;
    }
  }

  function addLog(data, isNote) {
    const text = [data.type, data.message].filter(Boolean).join(': ');
    if (!text) return;
    const item = el('li', isNote ? 'note' : '', isNote ? `Note — ${text}` : text);
    $('progress-log').append(item);
  }

  function updateProgress(follow, data) {
    const progress = data.progress || {};
    const total = Number(progress.total_parts || progress.parts_count || 0);
    if (total > 0) follow.totalParts = total;
    if (data.type === 'PartSectionsGenerated') follow.partsDone += 1;
    const phase = PHASES[data.phase] ? data.phase : 'initializing';
    let percent = PHASES[phase][1];
    let partText = '';
    if (phase === 'generating_sections' && follow.totalParts > 0) {
      const done = Math.min(follow.partsDone, follow.totalParts);
      partText = `Part ${Math.min(done + 1, follow.totalParts)} of ${follow.totalParts}`;
      percent = 25 + Math.round((60 * done) / follow.totalParts);
    } else if (follow.totalParts > 0 && phase !== 'initializing') {
      partText = `${follow.totalParts} part${follow.totalParts === 1 ? '' : 's'}`;
    }
    $('progress-phase').textContent = PHASES[phase][0];
    $('progress-part').textContent = partText;
    const bar = $('progress-bar');
    bar.value = Math.max(bar.value, percent);
    if (data.message) $('progress-message').textContent = data.message;
  }

  async function finish(follow, data) {
    follow.done = true;
    $('progress-phase').textContent = PHASES.complete[0];
    $('progress-part').textContent = follow.totalParts ? `${follow.totalParts} parts` : '';
    $('progress-bar').value = 100;
    if (data.title) $('progress-title').textContent = `Generated: ${data.title}`;
    const minutes = data.total_minutes ? ` (${formatMinutes(data.total_minutes)})` : '';
    $('progress-message').textContent = `Course ready: ${data.title || follow.courseId}${minutes}`;
    loadCourses();
    await showOutline(follow.courseId);
  }

  function showFailure(follow, message, code) {
    follow.done = true;
    $('progress-panel').hidden = false;
    $('progress-phase').textContent = PHASES.error[0];
    $('progress-message').textContent = '';
    showText($('progress-error'), code ? `${message} (${code})` : message);
  }

  // ---- The outline ------------------------------------------------------------------------------

  async function showOutline(courseId) {
    try {
      const outline = await apiJson(coursePath(courseId, '/outline'));
      if (state.selectedId !== courseId) return;
      renderOutline(outline);
    } catch (error) {
      showText($('global-error'), `Could not load the outline: ${error.message}`);
    }
  }

  function renderOutline(outline) {
    const panel = $('outline-panel');
    const parts = Array.isArray(outline.parts) ? outline.parts : [];
    $('outline-title').textContent = outline.title || 'Outline';
    $('outline-meta').textContent = outline.original_query ? `Requested: “${outline.original_query}”` : '';
    const container = $('outline-parts');
    container.replaceChildren();

    const summary = el('p', 'outline-summary');
    const sectionCount = Number(outline.total_sections) || 0;
    const total = el('span', '', `Total: ${formatMinutes(outline.total_minutes)}`);
    total.id = 'outline-total';
    total.dataset.minutes = String(Number(outline.total_minutes) || 0);
    summary.append(
      el('span', '', `${parts.length} part${parts.length === 1 ? '' : 's'}`),
      el('span', '', `${sectionCount} section${sectionCount === 1 ? '' : 's'}`),
      total,
    );
    container.append(summary);

    // Learner progress: how many sections are done, and which one comes next (asked of the API).
    if (parts.length > 0 && outline.course_id) {
      const progress = el('div', 'learner-progress');
      progress.id = 'learner-progress';
      const done = Number(outline.completed_sections) || 0;
      const count = el('span', '', `${done} of ${sectionCount} section${sectionCount === 1 ? '' : 's'} completed`);
      count.id = 'learner-count';
      const nextButton = el('button', 'secondary small', 'Next section');
      nextButton.type = 'button';
      nextButton.id = 'next-section';
      nextButton.addEventListener('click', () => showNextSection(outline.course_id));
      const nextText = el('span', 'next-section-text');
      nextText.id = 'next-section-text';
      nextText.setAttribute('aria-live', 'polite');
      progress.append(count, nextButton, nextText);
      container.append(progress);
    }

    // Revising the sections not yet completed, in plain words (POST /courses/{id}/revise).
    const revising = outline.generation_status && outline.generation_status.status === 'processing';
    if (parts.length > 0 && outline.course_id && !revising) {
      const form = el('form', 'revise-form');
      form.id = 'revise-form';
      form.noValidate = true;
      const label = el('label', '', 'Revise the sections not yet completed');
      label.htmlFor = 'revision-request';
      const input = el('textarea');
      input.id = 'revision-request';
      input.rows = 2;
      input.maxLength = 2000;
      input.placeholder = 'add a section on tax implications; drop the history part; make it 3 hours';
      const button = el('button', 'secondary small', 'Revise');
      button.type = 'submit';
      button.id = 'revise-course';
      const problem = el('p', 'field-error');
      problem.id = 'revise-error';
      problem.setAttribute('role', 'alert');
      problem.hidden = true;
      form.append(label, input, button, problem);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        reviseCourse(outline.course_id, outline.title, input, button, problem);
      });
      container.append(form);
    }

    // Notes on the whole outline (uncovered topics, prior knowledge honoured), above the parts.
    const notes = Array.isArray(outline.notes) ? outline.notes : [];
    if (notes.length) {
      const noteList = el('ul', 'outline-notes');
      noteList.id = 'outline-notes';
      noteList.setAttribute('aria-label', 'Notes on this outline');
      for (const note of notes) {
        const item = el('li', 'outline-note');
        item.dataset.kind = note.kind || 'note';
        const kind = note.kind && note.kind !== 'note' ? note.kind.replace(/_/g, ' ') : '';
        const label = [kind, note.topic || ''].filter(Boolean).join(': ');
        item.append(el('strong', 'note-label', label ? `Note (${label}):` : 'Note:'), ` ${note.message || ''}`);
        noteList.append(item);
      }
      container.append(noteList);
    }

    if (parts.length === 0) {
      const status = outline.generation_status;
      const text = status ? status.message || status.status : 'This course has no sections yet.';
      container.append(el('p', 'muted', text));
    }
    parts.forEach((part, index) => {
      const partNode = el('section', 'part');
      partNode.dataset.minutes = String(Number(part.estimated_minutes) || 0);
      const heading = el('h3');
      heading.append(el('span', 'part-title', `Part ${index + 1}: ${part.title}`),
        el('span', 'minutes', formatMinutes(part.estimated_minutes)));
      partNode.append(heading);
      const list = el('ol', 'sections');
      for (const section of part.sections || []) {
        const item = el('li', 'section');
        item.dataset.minutes = String(Number(section.estimated_minutes) || 0);
        item.dataset.sectionId = section.section_id || '';
        const head = el('div', 'section-head');
        head.append(el('span', 'section-title', section.title),
          el('span', 'minutes', formatMinutes(section.estimated_minutes)));
        item.append(head);
        const actions = el('div', 'section-actions');
        if (section.status === 'completed') {
          item.classList.add('is-done');
          actions.append(el('span', 'section-done', 'Completed'));
        } else if (outline.course_id && section.section_id) {
          const mark = el('button', 'secondary small mark-complete', 'Mark complete');
          mark.type = 'button';
          mark.setAttribute('aria-label', `Mark “${section.title}” complete`);
          mark.addEventListener('click', () => markComplete(outline.course_id, section.section_id, mark));
          actions.append(mark);
        }
        item.append(actions);
        const objectives = Array.isArray(section.learning_objectives) ? section.learning_objectives : [];
        if (objectives.length) {
          const objectiveList = el('ul', 'objectives');
          objectiveList.setAttribute('aria-label', `Objectives of ${section.title}`);
          for (const objective of objectives) objectiveList.append(el('li', 'objective', objective));
          item.append(objectiveList);
        }
        // What to read for the section: "Book title, ch. 3 “Chapter title” § Section".
        const sources = Array.isArray(section.sources) ? section.sources : [];
        if (sources.length) {
          const sourceList = el('ul', 'sources');
          sourceList.setAttribute('aria-label', `Reading for ${section.title}`);
          for (const source of sources) {
            let text = `${source.book_title}, ch. ${source.chapter_number} “${source.chapter_title}”`;
            if (source.section_title) text += ` § ${source.section_title}`;
            const entry = el('li', 'source');
            entry.dataset.bookId = source.book_id;
            entry.append(el('span', 'source-label', 'Read: '), text);
            sourceList.append(entry);
          }
          item.append(sourceList);
        }
        list.append(item);
      }
      partNode.append(list);
      container.append(partNode);
    });
    panel.hidden = false;
  }

  // Asks for a revision; once accepted (202), follows its run like a generation and shows the
  // revised outline at the end. A refusal (400, 409, 422 …) is shown beside the box.
  async function reviseCourse(courseId, title, input, button, problem) {
    const request = input.value.trim();
    if (!request) {
      showText(problem, 'Say what to change.');
      return;
    }
    button.disabled = true;
    showText(problem, '');
    try {
      const answer = await apiJson(coursePath(courseId, '/revise'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ revision_request: request }),
      });
      if (!answer || answer.success !== true) throw new Error('the revision was not accepted');
      await followCourse(courseId, title);
    } catch (error) {
      showText(problem, error.message);
      button.disabled = false;
    }
  }

  // The next section to study (POST /courses/{id}/next): named beside the button and highlighted.
  async function showNextSection(courseId) {
    try {
      const answer = await apiJson(coursePath(courseId, '/next'), { method: 'POST' });
      if (state.selectedId !== courseId) return;
      for (const node of document.querySelectorAll('#outline-parts .section.is-next')) node.classList.remove('is-next');
      const section = answer && answer.section;
      if (!section) {
        $('next-section-text').textContent = (answer && answer.message) || 'All sections are completed';
        return;
      }
      $('next-section-text').textContent = `Next: ${section.title} (${formatMinutes(section.estimated_minutes)})`;
      const node = document.querySelector(`#outline-parts .section[data-section-id="${CSS.escape(section.section_id)}"]`);
      if (node) {
        node.classList.add('is-next');
        node.scrollIntoView({ block: 'nearest' });
      }
    } catch (error) {
      showText($('global-error'), `Could not find the next section: ${error.message}`);
    }
  }

  // Marks a section studied (POST /courses/section/{id}/complete), then shows the outline and the
  // list again (the course itself is completed with its last section).
  async function markComplete(courseId, sectionId, button) {
    button.disabled = true;
    try {
      await apiJson(`/courses/section/${encodeURIComponent(sectionId)}/complete`, { method: 'POST' });
      if (state.selectedId === courseId) await showOutline(courseId);
      loadCourses();
    } catch (error) {
      button.disabled = false;
      showText($('global-error'), `Could not mark the section complete: ${error.message}`);
    }
  }

  // ---- My courses -------------------------------------------------------------------------------

  let coursesRequest = 0;
  async function loadCourses() {
    const request = ++coursesRequest;
    try {
      const courses = await apiJson('/courses');
      if (request !== coursesRequest) return;
      renderCourses(Array.isArray(courses) ? courses : []);
      showText($('global-error'), '');
    } catch (error) {
      if (request === coursesRequest) showText($('global-error'), `Could not list your courses: ${error.message}`);
    }
  }

  function renderCourses(courses) {
    const list = $('course-list');
    list.replaceChildren();
    $('courses-empty').hidden = courses.length > 0;
    for (const course of courses) {
      const item = el('li');
      const button = el('button', 'course-item');
      button.type = 'button';
      button.dataset.courseId = course.courseId;
      if (course.courseId === state.selectedId) button.setAttribute('aria-current', 'true');
      const status = STATUS_LABELS[course.status] || course.status;
      const hours = Number(course.estimatedHours);
      const meta = [Number.isFinite(hours) ? `${hours} h` : '', status, formatDate(course.createdAt)]
        .filter(Boolean).join(' · ');
      const metaNode = el('span', `course-meta status-${course.status === 'error' ? 'error' : course.status === 'generating' ? 'generating' : 'complete'}`, meta);
      button.append(el('span', 'course-title', course.title || course.courseId), metaNode);
      button.addEventListener('click', () => openCourse(course));
      item.append(button);
      list.append(item);
    }
  }

  function selectCourse(courseId) {
    state.selectedId = courseId;
    for (const button of $('course-list').querySelectorAll('.course-item')) {
      if (button.dataset.courseId === courseId) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
  }

  function openCourse(course) {
    showText($('global-error'), '');
    if (course.status === 'generating') {
      followCourse(course.courseId, course.title);
      return;
    }
    stopFollowing();
    selectCourse(course.courseId);
    if (course.status === 'error') {
      const status = course.generation_status || {};
      $('outline-panel').hidden = true;
      resetProgress(course.courseId, course.title);
      $('progress-title').textContent = course.title || 'Course';
      showFailure({ done: false }, status.error || status.message || 'The course could not be generated.', status.error_code);
      return;
    }
    $('progress-panel').hidden = true;
    showOutline(course.courseId);
  }

  // ---- Start ----------------------------------------------------------------------------------------

  // What the library panel (library.js, loaded after this file) shares with the course page.
  window.docprof = Object.freeze({
    apiFetch, apiJson, errorFrom, readEvents, el, showText, sleep, ApiError,
    token: () => state.token,
  });

  $('token-form').addEventListener('submit', onTokenSubmit);
  $('course-form').addEventListener('submit', onCourseSubmit);
  $('sign-out').addEventListener('click', signOut);
  $('refresh-courses').addEventListener('click', loadCourses);
  updateSession();
  loadCourses();
})();
