// Source documents made at test time for the ingestion tests: PDFs drawn with cairo (text on
// pages, an outline whose entries point at pages, metadata; or only images, no text layer), EPUBs
// written by pandoc from the Markdown fixture (EPUB 3 with a nav document, EPUB 2 with an NCX) or
// by libzip (an archive whose one entry inflates far beyond the reader's bound), files with bytes
// that are not UTF-8, and encrypted PDFs made by qpdf. pandoc and qpdf come from
// scripts/install-deps.sh; a test that needs one that is missing fails and says so.
//
// Thread safety: test helpers, for one thread.
#pragma once

#include <cairo-pdf.h>
#include <cairo.h>
#include <zip.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace docprof::test_support {

inline const std::filesystem::path kIngestFixtures = std::filesystem::path(DOCPROF_FIXTURES_DIR) / "ingest";

inline void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Runs a shell command; throws with the command when it fails (a missing tool included).
inline void run_tool(const std::string& command) {
  const int status = std::system((command + " 2>&1").c_str());
  if (status != 0) {
    throw std::runtime_error("`" + command + "` failed (status " + std::to_string(status) +
                             "): is it installed? scripts/install-deps.sh installs pandoc and qpdf");
  }
}

struct PdfChapter {
  std::string title;
  std::vector<std::string> paragraphs;
  bool new_page = true;  // starts on a new page (else below the previous chapter's text)
};

// Word-wraps `text` to lines of at most `width` characters.
inline std::vector<std::string> wrapped(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::istringstream words(text);
  std::string word;
  std::string line;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// A PDF of the chapters (A5-ish pages, 10 pt text, chapter titles in `title_font_size`), with an
// outline entry per chapter pointing at the page it starts on (when `outline`), the title and
// author in its metadata, and a page number at the foot of every page. Returns the number of pages.
inline int make_pdf(const std::filesystem::path& path, const std::string& title, const std::string& author,
                    const std::vector<PdfChapter>& chapters, bool outline, double title_font_size = 10) {
  constexpr double kWidth = 420;
  constexpr double kHeight = 595;
  constexpr double kLine = 16;
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), kWidth, kHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, author.c_str());
  cairo_t* cr = cairo_create(surface);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 10);
  int page = 1;
  double y = 50;
  const auto foot_and_next_page = [&] {
    cairo_move_to(cr, kWidth / 2, kHeight - 30);
    cairo_show_text(cr, std::to_string(page).c_str());
    cairo_show_page(cr);
    ++page;
    y = 50;
  };
  const auto line = [&](const std::string& text) {
    if (y > kHeight - 60) foot_and_next_page();
    cairo_move_to(cr, 40, y);
    cairo_show_text(cr, text.c_str());
    y += kLine;
  };
  for (std::size_t c = 0; c < chapters.size(); ++c) {
    const auto& chapter = chapters[c];
    if (c > 0 && chapter.new_page) foot_and_next_page();
    if (c > 0 && !chapter.new_page) y += kLine;
    if (y > kHeight - 120) foot_and_next_page();
    if (outline) {
      const std::string target = "page=" + std::to_string(page);
      cairo_pdf_surface_add_outline(surface, CAIRO_PDF_OUTLINE_ROOT, chapter.title.c_str(), target.c_str(),
                                    static_cast<cairo_pdf_outline_flags_t>(0));
    }
    cairo_set_font_size(cr, title_font_size);
    line(chapter.title);
    cairo_set_font_size(cr, 10);
    y += kLine / 2;
    for (const auto& paragraph : chapter.paragraphs) {
      for (const auto& l : wrapped(paragraph, 62)) line(l);
      y += kLine;  // a blank line between paragraphs
    }
  }
  cairo_move_to(cr, kWidth / 2, kHeight - 30);
  cairo_show_text(cr, std::to_string(page).c_str());
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const bool ok = cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(surface);
  if (!ok) throw std::runtime_error("cairo could not write " + path.string());
  return page;
}

// A PDF of two pages with shapes only: a scan without a text layer, as far as a reader can tell.
inline void make_image_only_pdf(const std::filesystem::path& path) {
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), 420, 595);
  cairo_t* cr = cairo_create(surface);
  for (int page = 0; page < 2; ++page) {
    cairo_rectangle(cr, 40, 40 + 20 * page, 300, 400);
    cairo_fill(cr);
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_surface_destroy(surface);
}

// An EPUB whose chapter inflates to `chapter_bytes` bytes of spaces (compressed to a few KB).
inline void make_inflating_epub(const std::filesystem::path& path, std::size_t chapter_bytes) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (archive == nullptr) throw std::runtime_error("zip_open failed");
  static const std::string mimetype = "application/epub+zip";
  static const std::string container =
      R"(<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">)"
      R"(<rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>)";
  static const std::string opf =
      R"(<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata>)"
      R"(<dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">Bomb</dc:title></metadata><manifest>)"
      R"(<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/></spine></package>)";
  static std::string chapter;
  chapter = "<html><body><p>" + std::string(chapter_bytes, ' ') + "</p></body></html>";
  const auto add = [&](const char* name, const std::string& data) {
    zip_source_t* source = zip_source_buffer(archive, data.data(), data.size(), 0);
    if (source == nullptr || zip_file_add(archive, name, source, ZIP_FL_OVERWRITE) < 0) {
      throw std::runtime_error(std::string("zip_file_add failed for ") + name);
    }
  };
  add("mimetype", mimetype);
  add("META-INF/container.xml", container);
  add("content.opf", opf);
  add("c1.xhtml", chapter);
  if (zip_close(archive) != 0) throw std::runtime_error("zip_close failed");
}

}  // namespace docprof::test_support
