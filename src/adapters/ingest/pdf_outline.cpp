#include "adapters/ingest/pdf_outline.h"

#include <poppler.h>

#include <filesystem>

namespace docprof::adapters::ingest {
namespace {

int page_of(PopplerDocument* document, PopplerAction* action) {
  if (action == nullptr || action->type != POPPLER_ACTION_GOTO_DEST || action->goto_dest.dest == nullptr) return 0;
  PopplerDest* dest = action->goto_dest.dest;
  if (dest->type != POPPLER_DEST_NAMED) return dest->page_num;
  PopplerDest* named = poppler_document_find_dest(document, dest->named_dest);
  if (named == nullptr) return 0;
  const int page = named->page_num;
  poppler_dest_free(named);
  return page;
}

void read_level(PopplerDocument* document, PopplerIndexIter* iter, int level, std::vector<PdfOutlineEntry>& out) {
  do {
    PopplerAction* action = poppler_index_iter_get_action(iter);
    if (action != nullptr) {
      const char* title = action->any.title;
      if (title != nullptr && *title != '\0') out.push_back(PdfOutlineEntry{level, title, page_of(document, action)});
      poppler_action_free(action);
    }
    if (PopplerIndexIter* child = poppler_index_iter_get_child(iter); child != nullptr) {
      read_level(document, child, level + 1, out);
      poppler_index_iter_free(child);
    }
  } while (poppler_index_iter_next(iter));
}

}  // namespace

std::vector<PdfOutlineEntry> pdf_outline(const std::string& path) {
  std::vector<PdfOutlineEntry> entries;
  GError* error = nullptr;
  gchar* uri = g_filename_to_uri(std::filesystem::absolute(path).c_str(), nullptr, &error);
  if (uri == nullptr) {
    if (error != nullptr) g_error_free(error);
    return entries;
  }
  PopplerDocument* document = poppler_document_new_from_file(uri, nullptr, &error);
  g_free(uri);
  if (document == nullptr) {
    if (error != nullptr) g_error_free(error);
    return entries;
  }
  if (PopplerIndexIter* iter = poppler_index_iter_new(document); iter != nullptr) {
    read_level(document, iter, 1, entries);
    poppler_index_iter_free(iter);
  }
  g_object_unref(document);
  return entries;
}

}  // namespace docprof::adapters::ingest
