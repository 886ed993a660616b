// casebinder's PDF text reader: poppler's own text engine (the code of `pdftotext -bbox`), kept
// running for many documents instead of one process per file.
//
// A scan starting `pdftotext` once per PDF spends more time loading poppler's 28 libraries than
// reading text. This helper is started once per reading thread and reads documents one after
// another from standard input:
//
//   request:  8-byte little-endian length N (N = 0: exit), then N bytes:
//               'B' (the PDF's bytes follow), 'P' (its path follows) or 'R' (its path
//               follows; words in raw content-stream order, for the binder's check),
//               4-byte little-endian count K, K 4-byte page numbers (K = 0: every page),
//               the PDF's bytes or path
//   reply:    8-byte little-endian length M, then M bytes:
//               "ok\n" | "error <poppler error code>\n" | "error memory\n" | "error exception\n"
//               "info <Key> <hex of the raw Info string>\n"   (Title Author Subject Creator
//                                                              Producer CreationDate ModDate)
//               "pages <n>\n"
//               the words of every page (or of the K pages asked for, in that order), exactly
//               as `pdftotext -q -bbox -enc UTF-8` writes them
//
// `--files A.pdf B.pdf ...` writes each file's words to standard output (for measuring the
// agreement with pdftotext). A crash or a hang takes only this process: casebinder reads that
// document again with `pdftotext` and starts a new helper for the next one.

#include <GlobalParams.h>
#include <PDFDoc.h>
#include <Stream.h>
#include <TextOutputDev.h>
#include <goo/GooString.h>

#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#ifdef __linux__
#include <sys/prctl.h>
#include <unistd.h>
#endif
#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define HAVE_MMAP 1
#endif

namespace {

// The characters `pdftotext -bbox` replaces in a word (its myXmlTokenReplace).
void append_escaped(std::string &out, const char *s)
{
    for (; *s; ++s) {
        switch (*s) {
        case '&': out += "&amp;"; break;
        case '\'': out += "&apos;"; break;
        case '"': out += "&quot;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        default: out += *s;
        }
    }
}

// A number as printf's "%f" writes it (what pdftotext writes): std::to_chars gives the same
// characters (the standard defines them as printf's) several times faster, which mattered: the
// word boxes' numbers were a fifth of this helper's time. printf writes what to_chars cannot.
void append_fixed(std::string &out, double v)
{
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
    char buf[64];
    std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 6);
    if (r.ec == std::errc()) {
        out.append(buf, static_cast<size_t>(r.ptr - buf));
        return;
    }
#endif
    char big[400]; // the largest double has 309 digits before the point
    int n = std::snprintf(big, sizeof big, "%f", v);
    if (n > 0) {
        out.append(big, static_cast<size_t>(n) < sizeof big ? static_cast<size_t>(n) : sizeof big - 1);
    }
}

void append_hex(std::string &out, const std::string &bytes)
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
}

// The reply for one document: from its bytes (`data`, `len`) or, when `path` is set, its file.
// A file mapped into memory for as long as it is read. Poppler reads a file it opens itself
// 256 bytes at a time (a system call each: 0.2 s of a binder's check went there); from memory
// it reads nothing twice.
struct Mapped {
    const char *data = nullptr;
    size_t len = 0;
    explicit Mapped(const std::string &path)
    {
#ifdef HAVE_MMAP
        const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && st.st_size > 0) {
            void *p = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
            if (p != MAP_FAILED) {
                data = static_cast<const char *>(p);
                len = static_cast<size_t>(st.st_size);
            }
        }
        close(fd);
#else
        (void)path;
#endif
    }
    ~Mapped()
    {
#ifdef HAVE_MMAP
        if (data) {
            munmap(const_cast<char *>(data), len);
        }
#endif
    }
    Mapped(const Mapped &) = delete;
    Mapped &operator=(const Mapped &) = delete;
};

std::string read_document(const char *data, size_t len, const std::string *path, const std::vector<int> &only, bool raw)
{
    // Declared before the document, so that the document is gone before the mapping is.
    std::unique_ptr<Mapped> mapped;
    if (path) {
        mapped = std::make_unique<Mapped>(*path);
        if (mapped->data) {
            data = mapped->data;
            len = mapped->len;
            path = nullptr;
        }
    }
    std::string out;
    // The stream does not own the bytes; the caller keeps them until the document is gone.
    std::unique_ptr<PDFDoc> owned;
    if (path) {
        owned = std::make_unique<PDFDoc>(std::make_unique<GooString>(*path));
    } else {
        owned = std::make_unique<PDFDoc>(new MemStream(data, 0, static_cast<Goffset>(len), Object(objNull)));
    }
    PDFDoc &doc = *owned;
    if (!doc.isOk()) {
        out = "error " + std::to_string(doc.getErrorCode()) + "\n";
        return out;
    }
    out = "ok\n";
    for (const char *key : { "Title", "Author", "Subject", "Creator", "Producer", "CreationDate", "ModDate" }) {
        std::unique_ptr<GooString> value = doc.getDocInfoStringEntry(key);
        if (value && value->getLength() > 0) {
            out += "info ";
            out += key;
            out += ' ';
            append_hex(out, value->toStr());
            out += '\n';
        }
    }
    const int pages = doc.getNumPages();
    out += "pages " + std::to_string(pages) + "\n";
    // As pdftotext -bbox: reading order (not physical layout), media box, no cropping.
    // In raw order (content-stream order) poppler skips its reading-order analysis: enough to
    // tell whether a page shows its words, as the binder's check asks, and several times cheaper.
    TextOutputDev text(nullptr, false, 0, raw, true, false);
    if (!text.isOk()) {
        return "error textoutput\n";
    }
    out += "<doc>\n";
    std::vector<int> order = only;
    if (order.empty()) {
        for (int page = 1; page <= pages; ++page) {
            order.push_back(page);
        }
    }
    for (int page : order) {
        if (page < 1 || page > pages) {
            return "error page\n";
        }
        out += "  <page width=\"";
        append_fixed(out, doc.getPageMediaWidth(page));
        out += "\" height=\"";
        append_fixed(out, doc.getPageMediaHeight(page));
        out += "\">\n";
        doc.displayPage(&text, page, 72, 72, 0, true, false, false);
        std::unique_ptr<TextWordList> words = text.makeWordList();
        const int n = words ? words->getLength() : 0;
        for (int i = 0; i < n; ++i) {
            TextWord *word = words->get(i);
            double x0, y0, x1, y1;
            word->getBBox(&x0, &y0, &x1, &y1);
            out += "    <word xMin=\"";
            append_fixed(out, x0);
            out += "\" yMin=\"";
            append_fixed(out, y0);
            out += "\" xMax=\"";
            append_fixed(out, x1);
            out += "\" yMax=\"";
            append_fixed(out, y1);
            out += "\">";
            std::unique_ptr<GooString> s(word->getText());
            if (s) {
                append_escaped(out, s->c_str());
            }
            out += "</word>\n";
        }
        out += "  </page>\n";
    }
    out += "</doc>\n";
    return out;
}

std::string read_guarded(const char *data, size_t len, const std::string *path = nullptr, const std::vector<int> &only = {}, bool raw = false)
{
    try {
        return read_document(data, len, path, only, raw);
    } catch (const std::bad_alloc &) {
        return "error memory\n";
    } catch (...) {
        return "error exception\n";
    }
}

bool read_exact(void *buf, size_t len)
{
    return std::fread(buf, 1, len, stdin) == len;
}

bool write_exact(const void *buf, size_t len)
{
    return std::fwrite(buf, 1, len, stdout) == len;
}

uint64_t from_le(const unsigned char *b, int n = 8)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) {
        v = (v << 8) | b[i];
    }
    return v;
}

// One request (its N bytes): what to read and which pages.
std::string answer(const std::vector<char> &req)
{
    const size_t n = req.size();
    if (n < 5 || (req[0] != 'B' && req[0] != 'P' && req[0] != 'R')) {
        return "error request\n";
    }
    const auto *u = reinterpret_cast<const unsigned char *>(req.data());
    const uint64_t k = from_le(u + 1, 4);
    if (k > (n - 5) / 4) {
        return "error request\n";
    }
    std::vector<int> only;
    for (uint64_t i = 0; i < k; ++i) {
        only.push_back(static_cast<int>(from_le(u + 5 + 4 * i, 4)));
    }
    const size_t at = 5 + 4 * k;
    if (req[0] == 'P' || req[0] == 'R') {
        const std::string path(req.data() + at, n - at);
        return read_guarded(nullptr, 0, &path, only, req[0] == 'R');
    }
    return read_guarded(req.data() + at, n - at, nullptr, only);
}

void to_le(uint64_t v, unsigned char *b)
{
    for (int i = 0; i < 8; ++i) {
        b[i] = static_cast<unsigned char>(v >> (8 * i));
    }
}

} // namespace

int main(int argc, char **argv)
{
#ifdef __linux__
    // Dies with casebinder: a hostile PDF can keep this process busy for minutes, and nobody
    // waits for its answer once casebinder is gone (killed, or stopped with Ctrl-C).
    const pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) {
        return 0;
    }
#endif
    globalParams = std::make_unique<GlobalParams>();
    globalParams->setTextEncoding("UTF-8");
    globalParams->setErrQuiet(true);

    if (argc > 1 && std::strcmp(argv[1], "--files") == 0) {
        for (int i = 2; i < argc; ++i) {
            FILE *f = std::fopen(argv[i], "rb");
            if (!f) {
                continue;
            }
            std::vector<char> data;
            char buf[65536];
            size_t n;
            while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
                data.insert(data.end(), buf, buf + n);
            }
            std::fclose(f);
            std::string out = read_guarded(data.data(), data.size());
            write_exact(out.data(), out.size());
        }
        return 0;
    }

    std::vector<char> data;
    for (;;) {
        unsigned char header[8];
        if (!read_exact(header, 8)) {
            return 0;
        }
        const uint64_t len = from_le(header);
        if (len == 0) {
            return 0;
        }
        try {
            data.resize(len);
        } catch (...) {
            return 3;
        }
        if (!read_exact(data.data(), len)) {
            return 0;
        }
        std::string out = answer(data);
        to_le(out.size(), header);
        if (!write_exact(header, 8) || !write_exact(out.data(), out.size()) || std::fflush(stdout) != 0) {
            return 0;
        }
    }
}
