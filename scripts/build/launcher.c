/*
 * The front of the offline build's `k3s` binary: a static launcher followed by a gzip-compressed Node.js
 * single-executable application and a trailer. Node's runtime alone is larger than K3s's "under 100 MB"
 * promise, so, like K3s's own binary, this one carries its payload compressed and unpacks it once into
 * <data-dir>/data/<sha256>/bin/k3s, then execs it with the same arguments on every start.
 *
 * Layout of the file (all integers little-endian):
 *   launcher ELF | gzip(payload) | offset u64 | length u64 | size u64 | sha256 hex [64] | "K3STS-PAYLOAD-1\n"
 *
 * The data dir is found as K3s finds it before its CLI runs: -d/--data-dir in the arguments, then
 * K3S_DATA_DIR (our server reads it too), then /var/lib/rancher/k3s for root or ~/.rancher/k3s otherwise;
 * an unpacked copy under the system data dir is reused by everyone, as K3s does.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "K3STS-PAYLOAD-1\n"
#define MAGIC_LEN 16
#define HASH_LEN 64
#define TRAILER_LEN (24 + HASH_LEN + MAGIC_LEN)
#define SYSTEM_DATA_DIR "/var/lib/rancher/k3s"

/* The half-unpacked files, removed when unpacking fails, so a later start begins afresh. */
static char *partial_dir, *partial_bin, *partial_exe;

static void die(const char *what, const char *detail) {
  int saved = errno;
  if (partial_dir) {
    unlink(partial_exe);
    rmdir(partial_bin);
    rmdir(partial_dir);
  }
  errno = saved;
  if (detail) {
    fprintf(stderr, "k3s: extracting data: %s %s: %s\n", what, detail, strerror(errno));
  } else {
    fprintf(stderr, "k3s: extracting data: %s\n", what);
  }
  exit(1);
}

/* ---- inflate (RFC 1951) ------------------------------------------------------------------------- */

struct bits {
  const uint8_t *in, *end;
  uint64_t buf;
  unsigned count;  /* valid bits in buf */
  unsigned padded; /* zero bytes fed past the end of the input */
};

/* Keeps at least 57 bits buffered, so one literal/length plus one distance code never runs dry. */
static void refill(struct bits *b) {
  while (b->count <= 56) {
    uint64_t byte = 0;
    if (b->in < b->end) {
      byte = *b->in++;
    } else {
      b->padded++;
    }
    b->buf |= byte << b->count;
    b->count += 8;
  }
}

static unsigned take(struct bits *b, unsigned n) {
  unsigned v = (unsigned)(b->buf & ((1ull << n) - 1));
  b->buf >>= n;
  b->count -= n;
  return v;
}

/* Drops the partial byte and hands whole buffered bytes back to the input, for stored blocks and the trailer. */
static void align(struct bits *b) {
  take(b, b->count % 8);
  unsigned whole = b->count / 8;
  if (whole < b->padded) die("the payload is truncated", NULL);
  b->in -= whole - b->padded;
  b->buf = 0;
  b->count = 0;
  b->padded = 0;
}

#define FAST_BITS 10

/* A canonical Huffman code: counts per length and symbols in code order (RFC 1951 3.2.2), plus a table that
 * decodes codes of up to FAST_BITS bits in one look-up (entry = symbol << 4 | length, 0 = longer code). */
struct huffman {
  uint16_t count[16];
  uint16_t symbol[288];
  uint16_t fast[1 << FAST_BITS];
};

static void build(struct huffman *h, const uint8_t *lengths, unsigned n) {
  uint16_t offset[16];
  memset(h->count, 0, sizeof h->count);
  for (unsigned s = 0; s < n; s++) h->count[lengths[s]]++;
  h->count[0] = 0;
  int left = 1;
  for (unsigned len = 1; len < 16; len++) {
    left = (left << 1) - h->count[len];
    if (left < 0) die("the payload has an over-subscribed Huffman code", NULL);
  }
  offset[1] = 0;
  for (unsigned len = 1; len < 15; len++) offset[len + 1] = offset[len] + h->count[len];
  for (unsigned s = 0; s < n; s++) {
    if (lengths[s]) h->symbol[offset[lengths[s]]++] = (uint16_t)s;
  }
  memset(h->fast, 0, sizeof h->fast);
  unsigned code = 0, index = 0;
  for (unsigned len = 1; len <= FAST_BITS; len++) {
    for (unsigned i = 0; i < h->count[len]; i++, code++, index++) {
      unsigned reversed = 0;
      for (unsigned bit = 0; bit < len; bit++) reversed |= ((code >> bit) & 1) << (len - 1 - bit);
      for (unsigned slot = reversed; slot < (1u << FAST_BITS); slot += 1u << len) {
        h->fast[slot] = (uint16_t)(h->symbol[index] << 4 | len);
      }
    }
    code <<= 1;
  }
}

static unsigned decode(struct bits *b, const struct huffman *h) {
  uint16_t entry = h->fast[b->buf & ((1u << FAST_BITS) - 1)];
  if (entry) {
    take(b, entry & 15);
    return entry >> 4;
  }
  int code = 0, first = 0, index = 0;
  uint64_t peek = b->buf;
  for (unsigned len = 1; len < 16; len++) {
    code |= (int)(peek & 1);
    peek >>= 1;
    int count = h->count[len];
    if (code - count < first) {
      take(b, len);
      return h->symbol[index + (code - first)];
    }
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  die("the payload has an invalid Huffman code", NULL);
  return 0;
}

static const uint16_t length_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                         31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t length_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                         2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t distance_base[30] = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,    65,    97,    129,
                                           193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t distance_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static void codes(struct bits *b, const struct huffman *lit, const struct huffman *dist, uint8_t *out, size_t size,
                  size_t *pos) {
  for (;;) {
    refill(b);
    unsigned symbol = decode(b, lit);
    if (symbol < 256) {
      if (*pos >= size) die("the payload is larger than announced", NULL);
      out[(*pos)++] = (uint8_t)symbol;
      continue;
    }
    if (symbol == 256) return;
    symbol -= 257;
    if (symbol >= 29) die("the payload has an invalid length code", NULL);
    size_t length = length_base[symbol] + take(b, length_extra[symbol]);
    unsigned d = decode(b, dist);
    if (d >= 30) die("the payload has an invalid distance code", NULL);
    size_t distance = distance_base[d] + take(b, distance_extra[d]);
    if (distance > *pos) die("the payload refers back before its start", NULL);
    if (length > size - *pos) die("the payload is larger than announced", NULL);
    uint8_t *to = out + *pos;
    const uint8_t *from = to - distance;
    for (size_t i = 0; i < length; i++) to[i] = from[i]; /* byte by byte: the copy may overlap itself */
    *pos += length;
  }
}

static void fixed_tables(struct huffman *lit, struct huffman *dist) {
  uint8_t lengths[288];
  for (unsigned s = 0; s < 288; s++) lengths[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
  build(lit, lengths, 288);
  for (unsigned s = 0; s < 30; s++) lengths[s] = 5;
  build(dist, lengths, 30);
}

static void dynamic_tables(struct bits *b, struct huffman *lit, struct huffman *dist) {
  static const uint8_t order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
  uint8_t lengths[320];
  refill(b);
  unsigned nlit = take(b, 5) + 257, ndist = take(b, 5) + 1, ncode = take(b, 4) + 4;
  if (nlit > 286 || ndist > 30) die("the payload has an invalid block header", NULL);
  memset(lengths, 0, 19);
  for (unsigned i = 0; i < ncode; i++) {
    refill(b);
    lengths[order[i]] = (uint8_t)take(b, 3);
  }
  struct huffman lencode;
  build(&lencode, lengths, 19);
  for (unsigned i = 0; i < nlit + ndist;) {
    refill(b);
    unsigned symbol = decode(b, &lencode);
    if (symbol < 16) {
      lengths[i++] = (uint8_t)symbol;
      continue;
    }
    uint8_t value = 0;
    unsigned repeat;
    if (symbol == 16) {
      if (i == 0) die("the payload repeats a length that is not there", NULL);
      value = lengths[i - 1];
      repeat = 3 + take(b, 2);
    } else if (symbol == 17) {
      repeat = 3 + take(b, 3);
    } else {
      repeat = 11 + take(b, 7);
    }
    if (i + repeat > nlit + ndist) die("the payload has too many code lengths", NULL);
    while (repeat--) lengths[i++] = value;
  }
  if (lengths[256] == 0) die("the payload has no end-of-block code", NULL);
  build(lit, lengths, nlit);
  build(dist, lengths + nlit, ndist);
}

static size_t inflate(struct bits *b, uint8_t *out, size_t size) {
  static struct huffman lit, dist;
  size_t pos = 0;
  unsigned last;
  do {
    refill(b);
    last = take(b, 1);
    unsigned type = take(b, 2);
    if (type == 0) {
      align(b);
      if (b->end - b->in < 4) die("the payload is truncated", NULL);
      unsigned len = b->in[0] | b->in[1] << 8, nlen = b->in[2] | b->in[3] << 8;
      b->in += 4;
      if (len != (~nlen & 0xffff)) die("the payload has a damaged stored block", NULL);
      if ((size_t)(b->end - b->in) < len) die("the payload is truncated", NULL);
      if (len > size - pos) die("the payload is larger than announced", NULL);
      memcpy(out + pos, b->in, len);
      b->in += len;
      pos += len;
    } else if (type == 1) {
      fixed_tables(&lit, &dist);
      codes(b, &lit, &dist, out, size, &pos);
    } else if (type == 2) {
      dynamic_tables(b, &lit, &dist);
      codes(b, &lit, &dist, out, size, &pos);
    } else {
      die("the payload has an invalid block type", NULL);
    }
  } while (!last);
  align(b);
  return pos;
}

static uint32_t crc32(const uint8_t *data, size_t n) {
  static uint32_t table[256];
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  uint32_t crc = 0xffffffffu;
  for (size_t i = 0; i < n; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

static uint64_t le64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

static const uint8_t *after_nul(const uint8_t *p, const uint8_t *end) {
  const uint8_t *nul = memchr(p, 0, (size_t)(end - p));
  if (!nul) die("the payload has a damaged gzip header", NULL);
  return nul + 1;
}

/* Unpacks the gzip member at `gz` into the already sized, writable mapping `out` (RFC 1952). */
static void gunzip(const uint8_t *gz, size_t length, uint8_t *out, size_t size) {
  if (length < 18 || gz[0] != 0x1f || gz[1] != 0x8b || gz[2] != 8) die("the payload is not gzip data", NULL);
  uint8_t flags = gz[3];
  const uint8_t *p = gz + 10, *end = gz + length;
  if (flags & 4) p += 2 + (p[0] | p[1] << 8);
  if (flags & 8) p = after_nul(p, end);
  if (flags & 16) p = after_nul(p, end);
  if (flags & 2) p += 2;
  struct bits b = {p, end - 8, 0, 0, 0};
  if (inflate(&b, out, size) != size) die("the payload is smaller than announced", NULL);
  const uint8_t *tail = end - 8;
  uint32_t crc = (uint32_t)(tail[0] | tail[1] << 8 | tail[2] << 16 | (uint32_t)tail[3] << 24);
  if (crc32(out, size) != crc) die("the payload fails its CRC-32 check", NULL);
}

/* ---- the data dir --------------------------------------------------------------------------------- */

static char *join(const char *a, const char *b) {
  char *s;
  if (asprintf(&s, "%s/%s", a, b) < 0) die("out of memory", NULL);
  return s;
}

static const char *data_dir_flag(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) break;
    if (strcmp(a, "--data-dir") == 0 || strcmp(a, "-d") == 0) return i + 1 < argc ? argv[i + 1] : NULL;
    if (strncmp(a, "--data-dir=", 11) == 0) return a + 11;
    if (strncmp(a, "-d", 2) == 0 && a[2]) return a[2] == '=' ? a + 3 : a + 2;
  }
  return NULL;
}

static char *find_data_dir(int argc, char **argv) {
  const char *dir = data_dir_flag(argc, argv);
  if (!dir || !*dir) dir = getenv("K3S_DATA_DIR");
  if (!dir || !*dir) {
    if (geteuid() == 0) return strdup(SYSTEM_DATA_DIR);
    const char *home = getenv("HOME");
    if (!home || !*home) die("cannot find the data dir: HOME is not set; pass --data-dir", NULL);
    return join(home, ".rancher/k3s");
  }
  if (dir[0] == '/') return strdup(dir);
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) die("cannot resolve", dir);
  return join(cwd, dir);
}

static void mkdirs(const char *path) {
  char *copy = strdup(path);
  for (char *p = copy + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(copy, 0755) != 0 && errno != EEXIST) die("cannot create", copy);
    *p = '/';
  }
  if (mkdir(copy, 0755) != 0 && errno != EEXIST) die("cannot create", copy);
  free(copy);
}

/* Points data/current at `dir`, keeping the one it replaces as data/previous, as K3s does. */
static void mark_current(const char *data, const char *dir) {
  char *current = join(data, "current"), *previous = join(data, "previous");
  char target[PATH_MAX];
  ssize_t n = readlink(current, target, sizeof target - 1);
  if (n >= 0) {
    target[n] = 0;
    if (strcmp(target, dir) == 0) return;
    if (rename(current, previous) != 0) die("cannot rename", current);
  }
  if (symlink(dir, current) != 0 && errno != EEXIST) die("cannot link", current);
}

/* Removes what an unpack killed half-way left: <hash>-tmp.<pid> folders whose process is gone. */
static void remove_abandoned(const char *data, const char *hash) {
  DIR *d = opendir(data);
  if (!d) return;
  char *prefix;
  if (asprintf(&prefix, "%s-tmp.", hash) < 0) die("out of memory", NULL);
  for (struct dirent *entry; (entry = readdir(d));) {
    if (strncmp(entry->d_name, prefix, strlen(prefix)) != 0) continue;
    pid_t pid = (pid_t)atoi(entry->d_name + strlen(prefix));
    if (pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH) continue;
    char *tmp = join(data, entry->d_name), *bin = join(tmp, "bin"), *exe = join(bin, "k3s");
    unlink(exe);
    rmdir(bin);
    rmdir(tmp);
    free(tmp);
    free(bin);
    free(exe);
  }
  free(prefix);
  closedir(d);
}

static void unpack(const uint8_t *gz, size_t length, size_t size, const char *data, const char *dir) {
  char *tmp, *bin, *exe;
  if (asprintf(&tmp, "%s-tmp.%d", dir, (int)getpid()) < 0) die("out of memory", NULL);
  bin = join(tmp, "bin");
  exe = join(bin, "k3s");
  fprintf(stderr, "Preparing data dir %s\n", dir);
  mkdirs(bin);
  partial_dir = tmp;
  partial_bin = bin;
  partial_exe = exe;
  int fd = open(exe, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
  if (fd < 0) die("cannot create", exe);
  /* Reserve the blocks first: a full disk must be an error here, not a SIGBUS while writing the mapping. */
  errno = posix_fallocate(fd, 0, (off_t)size);
  if (errno) die("cannot write", exe);
  uint8_t *out = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (out == MAP_FAILED) die("cannot map", exe);
  gunzip(gz, length, out, size);
  if (munmap(out, size) != 0 || fsync(fd) != 0) die("cannot write", exe);
  /* The pages just written sit in the page cache as large folios, and the server that maps them would carry
   * ~30 MB more resident file pages for as long as it runs; dropping them lets it fault in only what it uses. */
  posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  if (close(fd) != 0) die("cannot write", exe);
  partial_dir = NULL;
  if (rename(tmp, dir) != 0) {
    /* Another k3s unpacked the same payload first: use theirs. */
    if (errno != EEXIST && errno != ENOTEMPTY) die("cannot rename", tmp);
    unlink(exe);
    rmdir(bin);
    rmdir(tmp);
  }
  mark_current(data, dir);
  free(tmp);
  free(bin);
  free(exe);
}

int main(int argc, char **argv) {
  int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd < 0) die("cannot open", "/proc/self/exe");
  struct stat st;
  if (fstat(fd, &st) != 0) die("cannot stat", "/proc/self/exe");
  size_t file_size = (size_t)st.st_size;
  if (file_size < TRAILER_LEN) die("this k3s binary carries no payload", NULL);
  const uint8_t *file = mmap(NULL, file_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (file == MAP_FAILED) die("cannot map", "/proc/self/exe");
  close(fd);
  const uint8_t *trailer = file + file_size - TRAILER_LEN;
  if (memcmp(trailer + 24 + HASH_LEN, MAGIC, MAGIC_LEN) != 0) die("this k3s binary carries no payload", NULL);
  uint64_t offset = le64(trailer), length = le64(trailer + 8), size = le64(trailer + 16);
  if (offset + length > file_size - TRAILER_LEN) die("this k3s binary is truncated", NULL);
  char hash[HASH_LEN + 1];
  memcpy(hash, trailer + 24, HASH_LEN);
  hash[HASH_LEN] = 0;

  char *exe = NULL;
  char *system_exe;
  if (asprintf(&system_exe, "%s/data/%s/bin/k3s", SYSTEM_DATA_DIR, hash) < 0) die("out of memory", NULL);
  if (access(system_exe, X_OK) == 0) exe = system_exe;
  if (!exe) {
    char *data_dir = find_data_dir(argc, argv);
    char *data = join(data_dir, "data");
    char *dir = join(data, hash);
    exe = join(dir, "bin/k3s");
    if (access(exe, X_OK) != 0) {
      mkdirs(data);
      remove_abandoned(data, hash);
      unpack(file + offset, (size_t)length, (size_t)size, data, dir);
    }
  }
  munmap((void *)file, file_size);
  execv(exe, argv);
  die("cannot run", exe);
  return 1;
}
