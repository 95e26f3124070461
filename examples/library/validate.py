#!/usr/bin/env python3
"""Validate the sample library: every <slug>.json book summary and README.md.

Checks, per book file (the summary_json format of docs/domain §7):
  * the file is UTF-8, parses as JSON, and has exactly the expected keys;
  * source_title, author, source_summary are non-empty strings;
    source_summary has 2-4 sentences;
  * total_chapters is an int equal to len(chapters);
  * chapter_number values are ints, unique, and run 1..N in order;
  * chapter_title and summary are non-empty; summary has 1-3 sentences;
  * each chapter has 1-4 sections; each section has a non-empty section_title,
    3-6 topics and 2-5 key_concepts (non-empty, unique strings) and a
    page_range that is "" or "X-Y" with X <= Y.
Library-wide:
  * at least 14 books, each listed once in README.md's table with a matching
    chapter count; at least 5 subjects, each with 2-4 books; the finance and
    programming subjects have at least 2 and 3 books respectively.

Usage: python3 validate.py [library_dir]    (exit status 0 = valid)
"""
import json
import os
import re
import sys

BOOK_KEYS = {"source_title", "author", "total_chapters", "source_summary", "chapters"}
CHAPTER_KEYS = {"chapter_number", "chapter_title", "summary", "sections"}
SECTION_KEYS = {"section_title", "topics", "key_concepts", "page_range"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PAGE_RE = re.compile(r"^(\d+)-(\d+)$")


def sentence_count(text):
    # Count sentence ends: ., ! or ? followed by space/end (ignores "e.g." style abbreviations).
    cleaned = re.sub(r"\b(?:e\.g|i\.e|U\.S|vs|St|Dr|Mr)\.", "", text)
    return len(re.findall(r"[.!?](?:[\"')\]]*)(?=\s|$)", cleaned)) or 1


def nonempty_str(value):
    return isinstance(value, str) and value.strip() != "" and value == value.strip()


def check_str_list(errors, where, value, lo, hi):
    if not isinstance(value, list):
        errors.append(f"{where}: expected a list of strings")
        return
    if not lo <= len(value) <= hi:
        errors.append(f"{where}: expected {lo}-{hi} items, got {len(value)}")
    for i, item in enumerate(value):
        if not nonempty_str(item):
            errors.append(f"{where}[{i}]: expected a non-empty, trimmed string")
    lowered = [v.lower() for v in value if isinstance(v, str)]
    if len(set(lowered)) != len(lowered):
        errors.append(f"{where}: duplicate entries")


def check_book(path):
    errors = []
    where = os.path.basename(path)
    try:
        with open(path, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8")
        book = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"{where}: cannot parse: {exc}"], None
    if not isinstance(book, dict):
        return [f"{where}: top level must be an object"], None
    if set(book) != BOOK_KEYS:
        errors.append(f"{where}: keys {sorted(book)} != {sorted(BOOK_KEYS)}")
    for key in ("source_title", "author", "source_summary"):
        if not nonempty_str(book.get(key)):
            errors.append(f"{where}.{key}: expected a non-empty string")
    if nonempty_str(book.get("source_summary")):
        n = sentence_count(book["source_summary"])
        if not 2 <= n <= 4:
            errors.append(f"{where}.source_summary: expected 2-4 sentences, got {n}")
    chapters = book.get("chapters")
    if not isinstance(chapters, list) or not chapters:
        errors.append(f"{where}.chapters: expected a non-empty list")
        return errors, book
    total = book.get("total_chapters")
    if not isinstance(total, int) or isinstance(total, bool) or total != len(chapters):
        errors.append(f"{where}.total_chapters: {total!r} != number of chapters {len(chapters)}")
    titles = set()
    for ci, ch in enumerate(chapters):
        cw = f"{where}.chapters[{ci}]"
        if not isinstance(ch, dict):
            errors.append(f"{cw}: expected an object")
            continue
        if set(ch) != CHAPTER_KEYS:
            errors.append(f"{cw}: keys {sorted(ch)} != {sorted(CHAPTER_KEYS)}")
        num = ch.get("chapter_number")
        if not isinstance(num, int) or isinstance(num, bool) or num != ci + 1:
            errors.append(f"{cw}.chapter_number: expected {ci + 1}, got {num!r}")
        title = ch.get("chapter_title")
        if not nonempty_str(title):
            errors.append(f"{cw}.chapter_title: expected a non-empty string")
        elif title.lower() in titles:
            errors.append(f"{cw}.chapter_title: duplicate title {title!r}")
        else:
            titles.add(title.lower())
        summary = ch.get("summary")
        if not nonempty_str(summary):
            errors.append(f"{cw}.summary: expected a non-empty string")
        else:
            n = sentence_count(summary)
            if not 1 <= n <= 3:
                errors.append(f"{cw}.summary: expected 1-3 sentences, got {n}")
        sections = ch.get("sections")
        if not isinstance(sections, list) or not 1 <= len(sections) <= 4:
            errors.append(f"{cw}.sections: expected a list of 1-4 sections")
            continue
        for si, sec in enumerate(sections):
            sw = f"{cw}.sections[{si}]"
            if not isinstance(sec, dict):
                errors.append(f"{sw}: expected an object")
                continue
            if set(sec) != SECTION_KEYS:
                errors.append(f"{sw}: keys {sorted(sec)} != {sorted(SECTION_KEYS)}")
            if not nonempty_str(sec.get("section_title")):
                errors.append(f"{sw}.section_title: expected a non-empty string")
            check_str_list(errors, f"{sw}.topics", sec.get("topics"), 3, 6)
            check_str_list(errors, f"{sw}.key_concepts", sec.get("key_concepts"), 2, 5)
            pr = sec.get("page_range")
            if not isinstance(pr, str):
                errors.append(f"{sw}.page_range: expected a string")
            elif pr:
                m = PAGE_RE.match(pr)
                if not m or int(m.group(1)) > int(m.group(2)):
                    errors.append(f"{sw}.page_range: expected \"\" or \"X-Y\" with X <= Y, got {pr!r}")
    return errors, book


def parse_readme(path):
    """Rows of the README's book table: | File | Title | Author | Edition | Subject | Chapters |."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 6 or not cells[0].startswith("`"):
                continue
            rows.append({"file": cells[0].strip("`"), "title": cells[1], "author": cells[2],
                         "edition": cells[3], "subject": cells[4], "chapters": cells[5]})
    return rows


def main():
    lib = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    files = sorted(f for f in os.listdir(lib) if f.endswith(".json"))
    errors = []
    books = {}
    for name in files:
        if not SLUG_RE.match(name[:-5]):
            errors.append(f"{name}: file name must be <short-slug>.json (lowercase, digits, hyphens)")
        errs, book = check_book(os.path.join(lib, name))
        errors.extend(errs)
        if book is not None:
            books[name] = book
    if len(files) < 14:
        errors.append(f"library: expected at least 14 books, found {len(files)}")
    titles = [b.get("source_title") for b in books.values()]
    if len(set(titles)) != len(titles):
        errors.append("library: duplicate source_title")

    readme = os.path.join(lib, "README.md")
    subjects = {}
    if not os.path.exists(readme):
        errors.append("README.md: missing")
    else:
        rows = parse_readme(readme)
        listed = [r["file"] for r in rows]
        for name in files:
            if listed.count(name) != 1:
                errors.append(f"README.md: {name} must be listed exactly once (found {listed.count(name)})")
        for r in rows:
            if r["file"] not in books:
                errors.append(f"README.md: lists {r['file']}, which is not a valid book file")
                continue
            if any(not r[k] for k in ("title", "author", "edition", "subject")):
                errors.append(f"README.md: row for {r['file']} has an empty cell")
            if r["chapters"] != str(books[r["file"]].get("total_chapters")):
                errors.append(f"README.md: {r['file']} chapters {r['chapters']} != total_chapters")
            subjects.setdefault(r["subject"], []).append(r["file"])
        if len(subjects) < 5:
            errors.append(f"README.md: expected at least 5 subjects, found {len(subjects)}")
        for subject, members in subjects.items():
            if not 2 <= len(members) <= 4:
                errors.append(f"README.md: subject {subject!r} has {len(members)} books (expected 2-4)")
        lower = {s.lower(): len(m) for s, m in subjects.items()}
        if not any("finance" in s and n >= 2 for s, n in lower.items()):
            errors.append("README.md: need a finance/valuation subject with at least 2 books")
        if not any("programming" in s and n >= 3 for s, n in lower.items()):
            errors.append("README.md: need a programming subject with at least 3 books")

    for e in errors:
        print("ERROR:", e)
    chapters = sum(len(b.get("chapters") or []) for b in books.values())
    sections = sum(len(c.get("sections") or []) for b in books.values() for c in (b.get("chapters") or [])
                   if isinstance(c, dict))
    print(f"{len(files)} books, {chapters} chapters, {sections} sections, "
          f"{len(subjects)} subjects: " + ", ".join(f"{s} {len(m)}" for s, m in sorted(subjects.items())))
    print("OK" if not errors else f"FAILED: {len(errors)} error(s)")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
