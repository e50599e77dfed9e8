/*
 * The haplotype table (docs/specification.md) written the straightforward way in C: the native
 * baseline of `npm run bench`.
 *
 *   cc -O3 -pthread -o haplotype bench/baselines/haplotype.c
 *   ./haplotype MATRIX [--threads N] > table.tsv
 *
 * mmap the file; cut the data lines into one byte range per thread at line starts; each thread
 * scans its lines field by field, finds alt by linear search over the alleles seen so far in the
 * line, and appends the output lines to its own buffer, noting where each contig run starts; the
 * main thread then writes the buffers in order, each contig's runs together in order of first
 * appearance (rows of a contig may be split into several runs). Pairs are the automatic ones
 * (`<stem>a` + `<stem>b`). The matrix must have a header line.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct { const char *p; size_t n; } Str;

static int cmp_str(Str a, Str b) {
  size_t n = a.n < b.n ? a.n : b.n;
  int c = memcmp(a.p, b.p, n);
  return c ? c : (a.n < b.n ? -1 : a.n > b.n);
}
static int eq(Str a, Str b) { return a.n == b.n && memcmp(a.p, b.p, a.n) == 0; }

static void die(const char *what) { fprintf(stderr, "haplotype: %s\n", what); exit(1); }

/* A pair: haplotype column indices of its members, in name order, and its name. */
typedef struct { int a, b; Str first, second, name; } Pair;

static Str *names;      /* haplotype column names */
static int haps;        /* haplotype columns */
static Pair *pairs;
static int npairs;

typedef struct { Str name; size_t start, end; } Segment; /* a contig run's bytes in a thread's buffer */

typedef struct {
  const char *from, *to; /* lines starting in [from, to) */
  char *out; size_t len, cap;
  Segment *seg; size_t nseg, capseg;
} Job;

static void reserve(Job *j, size_t more) {
  if (j->len + more <= j->cap) return;
  while (j->len + more > j->cap) j->cap = j->cap ? 2 * j->cap : (1 << 20);
  j->out = realloc(j->out, j->cap);
  if (!j->out) die("out of memory");
}
static inline void put(Job *j, const char *p, size_t n) { memcpy(j->out + j->len, p, n); j->len += n; }

static void *run(void *arg) {
  Job *j = arg;
  Str *cells = malloc(sizeof(Str) * (haps + 1));
  Str *alts = malloc(sizeof(Str) * (haps + 1));
  Str contig = {0, 0};
  const char *p = j->from;
  while (p < j->to) {
    const char *end = memchr(p, '\n', j->to - p);
    /* a line starting in the range ends wherever it ends (possibly past `to`) */
    if (!end) end = memchr(p, '\n', (size_t)-1 >> 1);
    const char *line_end = end;
    if (line_end > p && line_end[-1] == '\r') line_end--;
    /* field scan */
    Str chrom, pos;
    const char *q = p, *t;
    t = memchr(q, '\t', line_end - q); if (!t) die("short line");
    chrom = (Str){q, (size_t)(t - q)}; q = t + 1;
    t = memchr(q, '\t', line_end - q); if (!t) die("short line");
    pos = (Str){q, (size_t)(t - q)}; q = t + 1;
    for (int c = 0; c <= haps; c++) {
      t = c < haps ? memchr(q, '\t', line_end - q) : line_end;
      if (!t) die("short line");
      cells[c] = (Str){q, (size_t)(t - q)};
      q = t + 1;
    }
    Str ref = cells[0];
    /* alt: distinct cells other than N and REF, in order of first appearance */
    int nalt = 0;
    for (int c = 1; c <= haps; c++) {
      Str x = cells[c];
      if ((x.n == 1 && x.p[0] == 'N') || eq(x, ref)) continue;
      int k = 0;
      while (k < nalt && !eq(alts[k], x)) k++;
      if (k == nalt) alts[nalt++] = x;
    }
    if (nalt > 0) {
      if (!contig.p || !eq(contig, chrom)) {
        if (j->nseg == j->capseg) {
          j->capseg = j->capseg ? 2 * j->capseg : 64;
          j->seg = realloc(j->seg, j->capseg * sizeof(Segment));
          if (!j->seg) die("out of memory");
        }
        if (j->nseg) j->seg[j->nseg - 1].end = j->len;
        j->seg[j->nseg++] = (Segment){chrom, j->len, 0};
        contig = chrom;
      }
      reserve(j, (size_t)(line_end - p) * 2 + (chrom.n + 4) * (npairs + 1) + 64);
      put(j, chrom.p, chrom.n); j->out[j->len++] = '\t';
      put(j, pos.p, pos.n); j->out[j->len++] = '\t';
      put(j, ref.p, ref.n); j->out[j->len++] = '\t';
      for (int k = 0; k < nalt; k++) {
        if (k) j->out[j->len++] = ',';
        put(j, alts[k].p, alts[k].n);
      }
      for (int i = 0; i < npairs; i++) {
        Str x = cells[1 + pairs[i].a], y = cells[1 + pairs[i].b];
        if (x.n == 1 && (x.p[0] == 'N' || x.p[0] == '-')) x = ref;
        if (y.n == 1 && (y.p[0] == 'N' || y.p[0] == '-')) y = ref;
        j->out[j->len++] = '\t';
        put(j, chrom.p, chrom.n); j->out[j->len++] = '\t';
        put(j, x.p, x.n); j->out[j->len++] = '|';
        put(j, y.p, y.n);
      }
      j->out[j->len++] = '\n';
    }
    p = end + 1;
  }
  if (j->nseg) j->seg[j->nseg - 1].end = j->len;
  free(cells);
  free(alts);
  return NULL;
}

static int cmp_index(const void *x, const void *y) {
  return cmp_str(names[*(const int *)x], names[*(const int *)y]);
}
static int cmp_pair(const void *x, const void *y) { return cmp_str(((const Pair *)x)->name, ((const Pair *)y)->name); }

/* Automatic pairs: `<stem>a` + `<stem>b`, members in name order, listed in order of the pair name. */
static void find_pairs(void) {
  int *order = malloc(sizeof(int) * haps);
  for (int i = 0; i < haps; i++) order[i] = i;
  qsort(order, haps, sizeof(int), cmp_index);
  pairs = malloc(sizeof(Pair) * (haps / 2 + 1));
  char *mate = malloc(65536);
  for (int i = 0; i < haps; i++) {
    Str n = names[i];
    if (n.n < 2 || n.p[n.n - 1] != 'a' || n.n > 65535) continue;
    memcpy(mate, n.p, n.n); mate[n.n - 1] = 'b';
    Str m = {mate, n.n};
    int lo = 0, hi = haps - 1, found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) / 2, c = cmp_str(names[order[mid]], m);
      if (c == 0) { found = order[mid]; break; }
      if (c < 0) lo = mid + 1; else hi = mid - 1;
    }
    if (found < 0) continue;
    int a = i, b = found;
    if (cmp_str(names[b], names[a]) < 0) { int s = a; a = b; b = s; }
    char *name = malloc(names[a].n + names[b].n);
    memcpy(name, names[a].p, names[a].n);
    memcpy(name + names[a].n, names[b].p, names[b].n);
    pairs[npairs++] = (Pair){a, b, names[a], names[b], {name, names[a].n + names[b].n}};
  }
  qsort(pairs, npairs, sizeof(Pair), cmp_pair);
  free(mate);
  free(order);
}

static void write_all(const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(1, p, n);
    if (w < 0) die("write failed");
    p += w; n -= (size_t)w;
  }
}

/* Contig ids by name: an open-addressing hash table of the first segment of each name. */
static uint64_t hash(Str s) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < s.n; i++) h = (h ^ (unsigned char)s.p[i]) * 1099511628211ULL;
  return h;
}

int main(int argc, char **argv) {
  const char *path = NULL;
  int threads = 2;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
    else path = argv[i];
  }
  if (!path || threads < 1) die("usage: haplotype MATRIX [--threads N]");
  int fd = open(path, O_RDONLY);
  if (fd < 0) die("cannot open the matrix");
  struct stat st;
  fstat(fd, &st);
  size_t size = (size_t)st.st_size;
  if (size == 0) die("empty matrix");
  /* one byte more than the file, so that a last line without '\n' can be given one */
  char *data = mmap(NULL, size + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  if (data == MAP_FAILED) die("mmap failed");
  madvise(data, size, MADV_SEQUENTIAL);
  const char *end = data + size;
  if (end[-1] != '\n') { data[size] = '\n'; end++; }

  /* header */
  const char *nl = memchr(data, '\n', end - data);
  size_t hn = (size_t)(nl - data);
  if (hn > 0 && data[hn - 1] == '\r') hn--;
  if (!(hn >= 5 && (!strncmp(data, "CHROM", 5) || !strncmp(data, "#CHROM", 6)))) die("no header line");
  int fields = 1;
  for (size_t i = 0; i < hn; i++) fields += data[i] == '\t';
  haps = fields - 3;
  names = malloc(sizeof(Str) * fields);
  const char *q = data;
  for (int f = 0; f < fields; f++) {
    const char *t = f < fields - 1 ? memchr(q, '\t', data + hn - q) : data + hn;
    if (f >= 3) names[f - 3] = (Str){q, (size_t)(t - q)};
    q = t + 1;
  }
  find_pairs();

  /* header line of the table */
  size_t cap = 64;
  for (int i = 0; i < npairs; i++) cap += 2 * (pairs[i].first.n + pairs[i].second.n) + 16;
  char *head = malloc(cap), *h = head;
  h += sprintf(h, "contig\tpos\tref\talt");
  for (int i = 0; i < npairs; i++) {
    Pair *x = &pairs[i];
    for (int k = 0; k < 2; k++) {
      *h++ = '\t';
      memcpy(h, x->first.p, x->first.n); h += x->first.n;
      memcpy(h, x->second.p, x->second.n); h += x->second.n;
      h += sprintf(h, k ? "_PG_al" : "_PI");
    }
  }
  *h++ = '\n';

  /* one byte range per thread, cut at line starts */
  const char *start = nl + 1;
  Job *jobs = calloc(threads, sizeof(Job));
  pthread_t *tid = malloc(sizeof(pthread_t) * threads);
  const char *from = start;
  for (int t = 0; t < threads; t++) {
    const char *to = t == threads - 1 ? end : start + (size_t)(end - start) * (t + 1) / threads;
    if (to < from) to = from;
    if (to < end) { const char *e = memchr(to, '\n', end - to); to = e ? e + 1 : end; }
    jobs[t].from = from;
    jobs[t].to = to;
    from = to;
    pthread_create(&tid[t], NULL, run, &jobs[t]);
  }
  for (int t = 0; t < threads; t++) pthread_join(tid[t], NULL);

  /* contigs in order of first appearance; each contig's segments in file order */
  size_t nseg = 0;
  for (int t = 0; t < threads; t++) nseg += jobs[t].nseg;
  Segment **all = malloc(sizeof(Segment *) * (nseg + 1));
  int *owner = malloc(sizeof(int) * (nseg + 1)), *id = malloc(sizeof(int) * (nseg + 1));
  size_t slots = 16;
  while (slots < 2 * nseg) slots *= 2;
  int *table = malloc(sizeof(int) * slots);
  memset(table, -1, sizeof(int) * slots);
  Str *contig_names = malloc(sizeof(Str) * (nseg + 1));
  int ncontigs = 0;
  size_t s = 0;
  for (int t = 0; t < threads; t++)
    for (size_t k = 0; k < jobs[t].nseg; k++, s++) {
      all[s] = &jobs[t].seg[k];
      owner[s] = t;
      size_t slot = hash(all[s]->name) & (slots - 1);
      while (table[slot] >= 0 && !eq(contig_names[table[slot]], all[s]->name)) slot = (slot + 1) & (slots - 1);
      if (table[slot] < 0) { table[slot] = ncontigs; contig_names[ncontigs++] = all[s]->name; }
      id[s] = table[slot];
    }
  /* counting sort of the segments by contig id, stable */
  size_t *first = calloc(ncontigs + 1, sizeof(size_t));
  for (s = 0; s < nseg; s++) first[id[s] + 1]++;
  for (int c = 0; c < ncontigs; c++) first[c + 1] += first[c];
  size_t *order = malloc(sizeof(size_t) * (nseg + 1));
  for (s = 0; s < nseg; s++) order[first[id[s]]++] = s;

  write_all(head, (size_t)(h - head));
  for (size_t k = 0; k < nseg; k++) {
    Segment *g = all[order[k]];
    write_all(jobs[owner[order[k]]].out + g->start, g->end - g->start);
  }
  return 0;
}
