// What pandoc reads — DOCX, ODT, reStructuredText, DocBook XML, LaTeX — through the `pandoc`
// program (Debian package pandoc): converted to standalone HTML on a pipe, then read like any HTML
// page (html_blocks.h), its <title> and author meta giving the book's. pandoc's title block is
// left out of the text. A missing pandoc is an error that names the package.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>

#include "adapters/ingest/format_readers.h"
#include "adapters/ingest/html_blocks.h"
#include "adapters/ingest/html_document.h"
#include "domain/text.h"

extern char** environ;

namespace docprof::adapters::ingest {
namespace {

struct PandocRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::string spawn_error;  // non-empty when pandoc could not be started
  bool too_big = false;
};

// Runs pandoc on the file, reading its stdout and stderr together (poll), stdout bounded.
PandocRun run_pandoc(const std::string& path, const std::string& from, std::uint64_t max_output) {
  PandocRun run;
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    run.spawn_error = std::strerror(errno);
    return run;
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    run.spawn_error = std::strerror(errno);
    close(out_pipe[0]);
    close(out_pipe[1]);
    return run;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const std::string from_option = "--from=" + from;
  std::array<std::string, 6> args{"pandoc", from_option, "--to=html5", "--standalone", "--wrap=none", path};
  std::array<char*, 7> argv{};
  for (std::size_t i = 0; i < args.size(); ++i) argv[i] = args[i].data();
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "pandoc", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawned != 0) {
    run.spawn_error = std::strerror(spawned);
    close(out_pipe[0]);
    close(err_pipe[0]);
    return run;
  }
  std::array<pollfd, 2> fds{pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0}};
  std::array<char, 65536> buffer{};
  int open_fds = 2;
  while (open_fds > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buffer.data(), buffer.size());
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      std::string& sink = i == 0 ? run.out : run.err;
      if (i == 0 && run.out.size() + static_cast<std::size_t>(n) > max_output) {
        run.too_big = true;
        kill(pid, SIGKILL);
        continue;
      }
      if (i == 1 && run.err.size() > 4096) continue;
      sink.append(buffer.data(), static_cast<std::size_t>(n));
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace

domain::Result<ports::ReadDocument> read_with_pandoc(const std::string& path, const std::string& format,
                                                     const std::string& pandoc_format, const ReaderLimits& limits) {
  auto bytes = read_file_bytes(path, limits.max_file_bytes);
  if (!bytes) return bytes.error();
  const PandocRun run = run_pandoc(path, pandoc_format, limits.max_archive_bytes);
  if (!run.spawn_error.empty()) {
    return invalid_document(path, "reading " + format + " needs the pandoc program (Debian package pandoc; "
                                  "scripts/install-deps.sh installs it), which could not be run: " + run.spawn_error);
  }
  if (run.too_big) return invalid_document(path, "pandoc's HTML of it exceeds the reader's bound");
  if (run.exit_code != 0) {
    return invalid_document(path, "pandoc could not read it as " + format + ": " +
                                      domain::trim(domain::utf8_prefix(run.err, 400)));
  }
  auto parsed = parse_html(run.out, path.c_str());
  if (!parsed) return invalid_document(path, "pandoc's output could not be parsed");
  ports::ReadDocument document = new_document(path, format, bytes.value());
  // pandoc's <title> falls back to the file name; only its title block says the document has one.
  xmlNode* root = xmlDocGetRootElement(parsed.get());
  for (xmlNode* header = find_element(root, "header"); header != nullptr; header = nullptr) {
    if (attribute(header, "id") != "title-block-header") break;
    if (xmlNode* title = find_element(header->children, "h1")) document.title = html_text(title);
  }
  document.author = html_author(parsed.get());
  append_html_blocks(parsed.get(), HtmlWalk{}, document.blocks);
  return document;
}

}  // namespace docprof::adapters::ingest
