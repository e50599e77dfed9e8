/*
 * genomatrix's optional native binding (loaded by src/native.ts), for eight jobs JavaScript cannot
 * do, or not as fast:
 *
 * - ISA-L's inflate (Intel's Intelligent Storage Acceleration Library, igzip), which inflates about
 *   2.5 times as fast as node:zlib on BGZF blocks and 4 times on a gzip stream here, into buffers
 *   the caller owns (src/read/inflate.ts). Each gzip member's header is parsed and its CRC-32 and
 *   size checked. Members follow one another; zero bytes after a member end the data (padding), as
 *   for gzip and node:zlib.
 * - libdeflate's deflate for BGZF output, as htslib's bgzip and bcftools use it, into a buffer the
 *   caller owns (src/write/bgzf.ts): at the default level, about node:zlib's time for blocks 7-10%
 *   smaller here (docs/output-formats.md).
 * - Transparent huge pages for column memory and output slots (madvise MADV_HUGEPAGE) before their
 *   first touch: one page fault per 2 MiB instead of per 4 KiB, where the first touch of new memory
 *   is most of its cost (bench/README.md).
 *
 *   gunzip(src, dst)                  whole members of src into dst: bytes written, -1 damaged, -2 dst too small
 *   createInflater()                  a stream of members, fed piece by piece
 *   inflate(inflater, src, dst, out)  out[0] = bytes of src read, out[1] = bytes written; -1 damaged, else 0
 *   complete(inflater)                whether the data so far ends at the end of a member
 *   bgzfCompress(src, dst, level)     src as BGZF blocks (no end block) in dst: bytes written, -2 dst too small
 *   adviseHugePages(bytes)            huge pages over the 2 MiB-aligned inside of bytes' memory: the
 *                                     offset in bytes of the first, -1 when none was granted
 *
 * - The haplotype table's lines for one-byte alleles (src/worker/haplotype-chunk.ts writes the
 *   others): the same bytes as the kernel's own loop, from its tables.
 * - The statistics of a span's small contigs and their lines of the table (src/worker/stats-chunk.ts
 *   counts and writes every other contig): the same counts and bytes as the kernel's own loop.
 *
 *   rowViews(columns, pos, ref, pairs, out)   a task's views (and the output they are written to)
 *   haplotypeLines(views, tasks, names, at, bytes, state)
 *                                     the lines of tasks' rows one after the other from out[at],
 *                                     four numbers a task in tasks: first row, rows, name offset
 *                                     and length; state = [N code, - code] in, [offset after the
 *                                     lines, lines] out
 *   tableTasks(row, rows, contig, nameStart, nameLength, first, tasks)
 *                                     the four numbers of each task of a span table's batches
 *                                     from first: the rows the views must hold, or -1
 *   statsLines(views, tasks, names, middles, middleEnds, alleles, at, state, sum)
 *                                     each task's statistics lines from out[at] (tasks and names as
 *                                     for haplotypeLines), its counts added to sum; state = [N code,
 *                                     - code, dictionary size, offset after the lines, sites,
 *                                     variable sites, multi-allelic sites]
 *
 * - Ending the process at once when the command line is done (src/cli/cli.ts): its worker threads'
 *   heaps are not taken down one page at a time.
 *
 *   exitNow(code)                     _exit(code)
 *
 * - The text parse's common lines (src/worker/parse-chunk.ts): a line whose REF and haplotype
 *   cells are each one byte the allele table knows, and the separators right, of the current
 *   contig or of a next one with a plain name. It stops at any other line, which the parse's own
 *   loop then reads; the two fill the same columns the same way.
 *
 *   rowParser(codes, pos)             the columns one parse fills
 *   parseLines(parser, buf, contig, lut, state, runs)
 *                                     lines from state[0] while they are common: state = [p, end,
 *                                     stop, row, lastPos, contigLength (0: none yet),
 *                                     allowUnsorted] in; p, row and lastPos updated, and state[7]
 *                                     set to the runs noted. A common line may start another contig when runs
 *                                     has room and the name is 1 to 1024 bytes of printable ASCII
 *                                     (space included): runs gets the new run's first row, the
 *                                     last POS of the one before, the name's offset in buf and
 *                                     its length, and the line is read against it.
 *
 * - The load's grouping of the parse's contig runs by contig, and the plan of where their rows go
 *   (src/read/group-contigs.ts, whose own loops do the same without it).
 *
 *   groupRuns(numbers, contigs, table, hashes, rows, nameChunk, nameRun, nameStart, nameLength, state)
 *                                     a chunk's runs grouped by their name hash; stops where a
 *                                     contig has a run's hash, for the caller to compare the names
 *   hashTable(hashes, count, table)   the contigs' hashes into a new table
 *   placeContigs(rows, count, starts, sizes, next, alignment)
 *                                     each contig's first row: how many have rows
 *   chunkMoves(numbers, contigs, next, from, state, out)
 *                                     a chunk's runs' row moves: how many closed
 */
#define NAPI_VERSION 8
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <math.h>
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* BGZF (SAM/BAM spec 4.1): input bytes per block, as bgzip takes them; a block is at most 64 KiB. */
#define BLOCK_INPUT 0xff00
#define BLOCK_MAX 0x10000
#define BLOCK_HEADER 18
#define BLOCK_FOOTER 8
#define MAX_LEVEL 12

typedef struct {
  struct inflate_state state;
  int between;  /* before a member: the next byte starts one, or padding */
  int members;  /* members ended */
  int padding;  /* zero bytes met after a member: the rest is ignored */
} stream_t;

static void stream_start(stream_t *s) {
  isal_inflate_init(&s->state);
  s->between = 1;
  s->members = 0;
  s->padding = 0;
}

/* Inflates from src into dst until src is used up, dst is full or the data is damaged (-1). */
static int stream_run(stream_t *s, uint8_t *src, size_t src_length, uint8_t *dst, size_t dst_length, size_t *read, size_t *written) {
  size_t in = 0, out = 0;
  for (;;) {
    if (s->padding) {
      in = src_length;
      break;
    }
    if (s->between) {
      if (in == src_length) break;
      if (src[in] == 0) {
        s->padding = 1;
        continue;
      }
      isal_inflate_reset(&s->state);
      s->state.crc_flag = ISAL_GZIP;
      s->between = 0;
    }
    size_t in_now = src_length - in > UINT32_MAX ? UINT32_MAX : src_length - in;
    size_t out_now = dst_length - out > UINT32_MAX ? UINT32_MAX : dst_length - out;
    s->state.next_in = src + in;
    s->state.avail_in = (uint32_t)in_now;
    s->state.next_out = dst + out;
    s->state.avail_out = (uint32_t)out_now;
    int status = isal_inflate(&s->state);
    size_t used = in_now - s->state.avail_in, made = out_now - s->state.avail_out;
    in += used;
    out += made;
    if (status < 0 || status == ISAL_NEED_DICT) return -1;
    if (s->state.block_state == ISAL_BLOCK_FINISH) {
      s->between = 1;
      s->members++;
      continue;
    }
    if (used == 0 && made == 0) break;
  }
  *read = in;
  *written = out;
  return 0;
}

/* The typed array `value` of `type`, at least `length` long: its data and length; 0 (thrown) when it is not. */
static int array_of(napi_env env, napi_value value, napi_typedarray_type type, size_t length, void **data, size_t *actual) {
  napi_typedarray_type got;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &got, actual, data, &buffer, &offset) != napi_ok || got != type) {
    napi_throw_type_error(env, NULL,
                          type == napi_uint32_array  ? "expected a Uint32Array"
                          : type == napi_int32_array ? "expected an Int32Array"
                          : type == napi_float64_array ? "expected a Float64Array"
                                                       : "expected a Uint8Array");
    return 0;
  }
  if (*actual < length) {
    napi_throw_range_error(env, NULL, "an array is too short");
    return 0;
  }
  return 1;
}

static int bytes_of(napi_env env, napi_value value, napi_typedarray_type expected, void **data, size_t *length) {
  return array_of(env, value, expected, 0, data, length);
}

/* The data of the `count` Uint8Arrays of `array` into `columns`, each at least `rows` long; 0 (thrown) when one is not. */
static int columns_of(napi_env env, napi_value array, uint32_t count, size_t rows, uint8_t **columns, const char *too_short) {
  for (uint32_t c = 0; c < count; c++) {
    napi_value column;
    void *data;
    size_t length;
    if (napi_get_element(env, array, c, &column) != napi_ok || !bytes_of(env, column, napi_uint8_array, &data, &length)) return 0;
    if (length < rows) {
      napi_throw_range_error(env, NULL, too_short);
      return 0;
    }
    columns[c] = data;
  }
  return 1;
}

static napi_value number(napi_env env, double value) {
  napi_value result;
  napi_create_double(env, value, &result);
  return result;
}

static void free_stream(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

/* What one thread keeps from call to call (a worker is an environment of its own). */
typedef struct {
  stream_t stream;                                          /* gunzip's, started anew for each call */
  struct libdeflate_compressor *compressors[MAX_LEVEL + 1]; /* bgzfCompress's, one a level, made on first use */
  void *line_ends;                                          /* statsLines' line ends (line_ends_t), made on first use */
} thread_t;

static void free_thread(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  thread_t *t = data;
  for (int level = 0; level <= MAX_LEVEL; level++) {
    if (t->compressors[level] != NULL) libdeflate_free_compressor(t->compressors[level]);
  }
  free(t->line_ends);
  free(t);
}

static thread_t *thread_of(napi_env env) {
  thread_t *t = NULL;
  napi_get_instance_data(env, (void **)&t);
  if (t == NULL) {
    t = calloc(1, sizeof(thread_t));
    if (t == NULL || napi_set_instance_data(env, t, free_thread, NULL) != napi_ok) {
      free(t);
      napi_throw_error(env, NULL, "genomatrix binding: out of memory");
      return NULL;
    }
  }
  return t;
}

static napi_value gunzip(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  void *src, *dst;
  size_t src_length, dst_length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    napi_throw_type_error(env, NULL, "gunzip(src, dst): expected two Uint8Arrays");
    return NULL;
  }
  if (!bytes_of(env, argv[0], napi_uint8_array, &src, &src_length) || !bytes_of(env, argv[1], napi_uint8_array, &dst, &dst_length)) return NULL;
  thread_t *t = thread_of(env);
  if (t == NULL) return NULL;
  stream_t *s = &t->stream;
  stream_start(s);
  size_t read = 0, written = 0;
  if (stream_run(s, src, src_length, dst, dst_length, &read, &written) < 0) return number(env, -1);
  if (read < src_length) return number(env, -2);
  if (!s->between || s->members == 0) return number(env, -1); /* the last member is cut short */
  return number(env, (double)written);
}

static napi_value create_inflater(napi_env env, napi_callback_info info) {
  (void)info;
  stream_t *s = malloc(sizeof(stream_t));
  if (s == NULL) {
    napi_throw_error(env, NULL, "createInflater: out of memory");
    return NULL;
  }
  stream_start(s);
  napi_value external;
  if (napi_create_external(env, s, free_stream, NULL, &external) != napi_ok) {
    free(s);
    return NULL;
  }
  return external;
}

static stream_t *stream_of(napi_env env, napi_value value) {
  stream_t *s = NULL;
  if (napi_get_value_external(env, value, (void **)&s) != napi_ok || s == NULL) napi_throw_type_error(env, NULL, "expected an inflater from createInflater()");
  return s;
}

static napi_value inflate(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  void *src, *dst, *out;
  size_t src_length, dst_length, out_length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) {
    napi_throw_type_error(env, NULL, "inflate(inflater, src, dst, out): four arguments expected");
    return NULL;
  }
  stream_t *s = stream_of(env, argv[0]);
  if (s == NULL || !bytes_of(env, argv[1], napi_uint8_array, &src, &src_length) || !bytes_of(env, argv[2], napi_uint8_array, &dst, &dst_length) || !bytes_of(env, argv[3], napi_uint32_array, &out, &out_length)) return NULL;
  if (out_length < 2) {
    napi_throw_range_error(env, NULL, "inflate: out must hold 2 numbers");
    return NULL;
  }
  size_t read = 0, written = 0;
  int status = stream_run(s, src, src_length, dst, dst_length, &read, &written);
  ((uint32_t *)out)[0] = (uint32_t)read;
  ((uint32_t *)out)[1] = (uint32_t)written;
  return number(env, status);
}

static napi_value complete(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) return NULL;
  stream_t *s = stream_of(env, argv[0]);
  if (s == NULL) return NULL;
  napi_value result;
  napi_get_boolean(env, s->between && s->members > 0, &result);
  return result;
}

static void put16(uint8_t *p, uint32_t v) {
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
}

static void put32(uint8_t *p, uint32_t v) {
  put16(p, v & 0xffff);
  put16(p + 2, v >> 16);
}

static napi_value bgzf_compress(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  void *src, *dst;
  size_t src_length, dst_length;
  int32_t level;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 || napi_get_value_int32(env, argv[2], &level) != napi_ok || level < 0 || level > MAX_LEVEL) {
    napi_throw_type_error(env, NULL, "bgzfCompress(src, dst, level): expected two Uint8Arrays and a level from 0 to 12");
    return NULL;
  }
  if (!bytes_of(env, argv[0], napi_uint8_array, &src, &src_length) || !bytes_of(env, argv[1], napi_uint8_array, &dst, &dst_length)) return NULL;
  thread_t *t = thread_of(env);
  if (t == NULL) return NULL;
  if (t->compressors[level] == NULL && (t->compressors[level] = libdeflate_alloc_compressor(level)) == NULL) {
    napi_throw_error(env, NULL, "bgzfCompress: out of memory");
    return NULL;
  }
  static const uint8_t header[16] = { 0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 0x06, 0x00, 0x42, 0x43, 0x02, 0x00 };
  const uint8_t *in = src;
  uint8_t *out = dst;
  size_t written = 0;
  for (size_t at = 0; at < src_length; at += BLOCK_INPUT) {
    size_t n = src_length - at < BLOCK_INPUT ? src_length - at : BLOCK_INPUT;
    if (dst_length - written < BLOCK_MAX) return number(env, -2);
    uint8_t *block = out + written;
    uint8_t *data = block + BLOCK_HEADER;
    size_t size = libdeflate_deflate_compress(t->compressors[level], in + at, n, data, BLOCK_MAX - BLOCK_HEADER - BLOCK_FOOTER);
    if (size == 0) {
      /* It does not fit in a block compressed: one stored deflate block (5 bytes of header). */
      data[0] = 1;
      put16(data + 1, (uint32_t)n);
      put16(data + 3, (uint32_t)n ^ 0xffff);
      memcpy(data + 5, in + at, n);
      size = n + 5;
    }
    memcpy(block, header, sizeof header);
    put16(block + 16, (uint32_t)(BLOCK_HEADER + size + BLOCK_FOOTER - 1));
    put32(data + size, libdeflate_crc32(0, in + at, n));
    put32(data + size + 4, (uint32_t)n);
    written += BLOCK_HEADER + size + BLOCK_FOOTER;
  }
  return number(env, (double)written);
}

static napi_value advise_huge_pages(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data;
  size_t length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) {
    napi_throw_type_error(env, NULL, "adviseHugePages(bytes): expected a Uint8Array");
    return NULL;
  }
  if (!bytes_of(env, argv[0], napi_uint8_array, &data, &length)) return NULL;
  double advised = -1;
#ifdef MADV_HUGEPAGE
  const uintptr_t huge = (uintptr_t)2 << 20;
  uintptr_t start = ((uintptr_t)data + huge - 1) & ~(huge - 1), end = ((uintptr_t)data + length) & ~(huge - 1);
  if (end > start && madvise((void *)start, end - start, MADV_HUGEPAGE) == 0) advised = (double)(start - (uintptr_t)data);
#endif
  return number(env, advised);
}

/* The parse's columns (row 0 of each at the chunk's first row) and its allele table (byte -> code, negative: not a known one-byte allele). */
typedef struct {
  size_t count;     /* REF and the haplotypes */
  size_t capacity;  /* rows */
  int32_t *pos;
  uint8_t **codes;
} row_parser_t;

static void free_row_parser(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  row_parser_t *parser = data;
  free(parser->codes);
  free(parser);
}

static napi_value row_parser(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    napi_throw_type_error(env, NULL, "rowParser(codes, pos): expected an array of Uint8Array and an Int32Array");
    return NULL;
  }
  uint32_t count;
  if (napi_get_array_length(env, argv[0], &count) != napi_ok || count == 0) {
    napi_throw_type_error(env, NULL, "rowParser: expected an array of Uint8Array");
    return NULL;
  }
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset, capacity;
  void *pos;
  if (napi_get_typedarray_info(env, argv[1], &type, &capacity, &pos, &buffer, &offset) != napi_ok || type != napi_int32_array) {
    napi_throw_type_error(env, NULL, "rowParser: expected an Int32Array");
    return NULL;
  }
  row_parser_t *parser = calloc(1, sizeof(row_parser_t));
  if (parser != NULL) parser->codes = calloc(count, sizeof(uint8_t *));
  if (parser == NULL || parser->codes == NULL) {
    if (parser != NULL) free(parser);
    napi_throw_error(env, NULL, "genomatrix binding: out of memory");
    return NULL;
  }
  parser->count = count;
  parser->capacity = capacity;
  parser->pos = pos;
  if (!columns_of(env, argv[0], count, capacity, parser->codes, "rowParser: a column shorter than POS")) {
    free_row_parser(env, parser, NULL);
    return NULL;
  }
  napi_value result;
  if (napi_create_external(env, parser, free_row_parser, NULL, &result) != napi_ok) {
    free_row_parser(env, parser, NULL);
    return NULL;
  }
  return result;
}

#define TAB 9
#define NL 10
#define MAX_POS 2147483647.0
/* The longest contig name a parse takes (MAX_NAME_BYTES, src/layout/matrix-layout.ts). */
#define MAX_NAME 1024

/* Numbers per contig run (RUN_NUMBERS, src/worker/messages.ts): rows, first POS, last POS, lines
 * skipped (-1: none), name hash, and where the name's bytes are in the chunk's names. */
#define RUN_NUMBERS 7
/* The name hash (src/layout/name-hash.ts `nameHash`): FNV-1a over the name's bytes. */
#define NAME_HASH_BASIS 0x811c9dc5u
#define NAME_HASH_PRIME 0x01000193u

/*
 * parseLines(parser, buf, contig, lut, state, runs, names): parses the common lines from state[0]
 * into the parser's columns, contig changes included, until a line it leaves to the JavaScript
 * loop (a first-seen or longer allele, a problem, a name that is not printable ASCII), `end` or
 * `stop`, or no room for another run. Runs are kept as the JavaScript loop keeps them: RUN_NUMBERS
 * numbers each in `runs`, the open one (the last) closed as the next starts, and the names' bytes
 * in `names`, each followed by a tab. state: p, end, stop, row, last POS, current name's length,
 * allow unsorted; runs so far, name bytes so far, the open run's first row (the last three read
 * and written back); 1 when it stopped for want of room in `runs` or `names`, else 0.
 */
static napi_value parse_lines(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  row_parser_t *parser;
  void *buf_data, *contig_data, *lut_data, *state_data, *runs_data, *names_data;
  size_t buf_length, contig_length, lut_length, state_length, runs_length, names_length, offset;
  napi_typedarray_type type;
  napi_value buffer;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 7 || napi_get_value_external(env, argv[0], (void **)&parser) != napi_ok) {
    napi_throw_type_error(env, NULL, "parseLines(parser, buf, contig, lut, state, runs, names): expected a row parser");
    return NULL;
  }
  if (!bytes_of(env, argv[1], napi_uint8_array, &buf_data, &buf_length) || !bytes_of(env, argv[2], napi_uint8_array, &contig_data, &contig_length) ||
      !bytes_of(env, argv[6], napi_uint8_array, &names_data, &names_length)) return NULL;
  if (napi_get_typedarray_info(env, argv[3], &type, &lut_length, &lut_data, &buffer, &offset) != napi_ok || type != napi_int16_array || lut_length != 256 ||
      napi_get_typedarray_info(env, argv[4], &type, &state_length, &state_data, &buffer, &offset) != napi_ok || type != napi_float64_array || state_length < 11 ||
      napi_get_typedarray_info(env, argv[5], &type, &runs_length, &runs_data, &buffer, &offset) != napi_ok || type != napi_int32_array) {
    napi_throw_type_error(env, NULL, "parseLines: expected an Int16Array of 256, a Float64Array of 11 and an Int32Array");
    return NULL;
  }
  const uint8_t *buf = buf_data, *contig = contig_data;
  uint8_t *names = names_data;
  const int16_t *lut = lut_data;
  double *state = state_data;
  size_t p = (size_t)state[0], end = (size_t)state[1], stop = (size_t)state[2], row = (size_t)state[3];
  double last_pos = state[4];
  size_t name = (size_t)state[5];
  int allow_unsorted = state[6] != 0;
  size_t run_count = (size_t)state[7], names_used = (size_t)state[8], run_start = (size_t)state[9];
  int32_t *runs = runs_data;
  if (end > buf_length || name > contig_length || end > INT32_MAX || run_count * RUN_NUMBERS > runs_length || names_used > names_length ||
      (run_count > 0 && run_start > row) || names_length > INT32_MAX) {
    napi_throw_range_error(env, NULL, "parseLines: state out of range");
    return NULL;
  }
  const size_t last = parser->count - 1;
  uint8_t **codes = parser->codes;
  int no_room = 0;
  while (p < end && p < stop && row < parser->capacity) {
    /* CHROM: the current contig's name and a tab, or another contig's when there is room to note it. */
    size_t line_name = name;
    const uint8_t *line_contig = contig;
    if (name == 0 || p + name >= end || buf[p + name] != TAB || memcmp(buf + p, contig, name) != 0) {
      if ((run_count + 1) * RUN_NUMBERS > runs_length) {
        no_room = 1;
        break;
      }
      size_t e = p;
      while (e < end && e - p <= MAX_NAME && buf[e] >= 0x20 && buf[e] <= 0x7e) e++;
      if (e == p || e - p > MAX_NAME || e >= end || buf[e] != TAB) break;
      if (names_used + (e - p) + 1 > names_length) {
        no_room = 1;
        break;
      }
      line_name = e - p;
      line_contig = buf + p;
    }
    /* POS, as the parse's loop reads it; anything it would report is left to it. */
    size_t q = p + line_name + 1, pos_start = q;
    double value = 0;
    while (q < end && buf[q] != TAB) {
      int digit = buf[q] - '0';
      if (digit < 0 || digit > 9 || value > MAX_POS) break;
      value = value * 10 + digit;
      q++;
    }
    if (q >= end || buf[q] != TAB || q == pos_start || value == 0 || value > MAX_POS) break;
    if (line_contig == contig && value < last_pos && !allow_unsorted) break;
    q++;
    /* REF and the haplotypes: `x\tx\t...x\n`, every x a known one-byte allele. */
    if (q + 2 * last + 2 > end) break;
    int ok = 1;
    for (size_t c = 0; c <= last; c++) {
      int code = lut[buf[q + 2 * c]];
      uint8_t separator = buf[q + 2 * c + 1];
      if (code < 0 || separator != (c == last ? NL : TAB)) {
        ok = 0;
        break;
      }
      codes[c][row] = (uint8_t)code;
    }
    if (!ok) break;
    if (line_contig != contig) {
      /* The open run closes (its rows, first and last POS), and this line's opens. */
      if (run_count > 0) {
        int32_t *open = runs + RUN_NUMBERS * (run_count - 1);
        open[0] = (int32_t)(row - run_start);
        if (row > run_start) {
          open[1] = parser->pos[run_start];
          open[2] = (int32_t)last_pos;
        }
      }
      uint32_t hash = NAME_HASH_BASIS;
      for (size_t k = 0; k < line_name; k++) hash = (hash ^ line_contig[k]) * NAME_HASH_PRIME;
      int32_t *run = runs + RUN_NUMBERS * run_count++;
      run[0] = 0;
      run[1] = 0;
      run[2] = 0;
      run[3] = -1;
      run[4] = (int32_t)hash;
      run[5] = (int32_t)names_used;
      run[6] = (int32_t)line_name;
      memcpy(names + names_used, line_contig, line_name);
      names[names_used + line_name] = TAB;
      names_used += line_name + 1;
      run_start = row;
      contig = line_contig;
      name = line_name;
      last_pos = 0;
    }
    parser->pos[row] = (int32_t)value;
    last_pos = value;
    row++;
    p = q + 2 * last + 2;
  }
  state[0] = (double)p;
  state[3] = (double)row;
  state[4] = last_pos;
  state[5] = (double)name;
  state[7] = (double)run_count;
  state[8] = (double)names_used;
  state[9] = (double)run_start;
  state[10] = no_room;
  return NULL;
}

/*
 * The load's grouping of the parse's contig runs and its plan (src/read/group-contigs.ts
 * `ContigGrouping`), the same numbers as its own loops: run on the main thread once per contig
 * and per run, mostly before V8 has optimised them, those loops held it 50-65 ms for 100,000
 * contigs of 4 sites while the workers waited for it (docs/internals.md).
 */

/*
 * groupRuns(numbers, contigs, table, hashes, rows, nameChunk, nameRun, nameStart, nameLength, state):
 * a chunk's runs (RUN_NUMBERS numbers each in `numbers`) grouped by contig from run state[0] on,
 * each run's contig number into `contigs`. A contig is found by its name hash in `table` (open
 * addressing, a power of two long: contig + 1, 0 for an empty slot); a run whose hash no contig
 * has is a new contig, whose hash, rows, and name's place (the chunk state[3], the run, its first
 * character state[4] + its offset in the chunk's names, its length) go to the per-contig arrays.
 * A contig with the run's hash may have another name: the call stops there, with state[0] the
 * run, state[1] the slot and state[7] the contig, for the caller to compare the names; it calls
 * again with state[8] set to the contig when they match (-1 when not: the probe goes on after
 * the slot). state: [0] run, [1] slot to probe from (-1: the hash's own), [2] contigs, [3] chunk,
 * [4] chunk's first name character, [5] longest name, [6] rows kept, [7] out: the contig to
 * compare (-1: all runs done), [8] in: the contig run state[0] was found to be (-1: none).
 * The caller has made room for one contig a run left.
 */
static napi_value group_runs(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  void *numbers_data, *contigs_data, *table_data, *hashes_data, *rows_data, *chunk_data, *run_data, *start_data, *length_data, *state_data;
  size_t numbers_length, contigs_length, table_length, hashes_length, rows_length, chunk_length, run_length, start_length, length_length, state_length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 10) {
    napi_throw_type_error(env, NULL, "groupRuns(numbers, contigs, table, hashes, rows, nameChunk, nameRun, nameStart, nameLength, state)");
    return NULL;
  }
  if (!array_of(env, argv[0], napi_int32_array, 0, &numbers_data, &numbers_length) || !array_of(env, argv[9], napi_float64_array, 9, &state_data, &state_length)) return NULL;
  double *state = state_data;
  const size_t n = numbers_length / RUN_NUMBERS;
  if (!(state[0] >= 0 && state[0] <= (double)n && state[2] >= 0 && state[2] <= INT32_MAX && state[3] >= 0 && state[3] <= INT32_MAX)) {
    napi_throw_range_error(env, NULL, "groupRuns: state out of range");
    return NULL;
  }
  size_t k = (size_t)state[0], count = (size_t)state[2];
  /* Room for a new contig for each run left. */
  const size_t room = count + (n - k);
  if (!array_of(env, argv[1], napi_int32_array, n, &contigs_data, &contigs_length) || !array_of(env, argv[2], napi_int32_array, 2 * room, &table_data, &table_length) ||
      !array_of(env, argv[3], napi_int32_array, room, &hashes_data, &hashes_length) || !array_of(env, argv[4], napi_float64_array, room, &rows_data, &rows_length) ||
      !array_of(env, argv[5], napi_int32_array, room, &chunk_data, &chunk_length) || !array_of(env, argv[6], napi_int32_array, room, &run_data, &run_length) ||
      !array_of(env, argv[7], napi_float64_array, room, &start_data, &start_length) || !array_of(env, argv[8], napi_float64_array, room, &length_data, &length_length)) return NULL;
  const size_t mask = table_length - 1;
  double slot = state[1], matched = state[8];
  if ((table_length & mask) != 0 || slot >= (double)table_length || matched >= (double)count) {
    napi_throw_range_error(env, NULL, "groupRuns: state out of range");
    return NULL;
  }
  const int32_t *numbers = numbers_data;
  int32_t *contigs = contigs_data, *table = table_data, *hashes = hashes_data, *name_chunk = chunk_data, *name_run = run_data;
  double *rows = rows_data, *name_start = start_data, *name_length = length_data;
  const int32_t chunk = (int32_t)state[3];
  const double names_at = state[4];
  double longest = state[5], kept = state[6];
  state[7] = -1;
  if (matched >= 0 && k < n) {
    const int32_t *run = numbers + RUN_NUMBERS * k;
    const double run_rows = run[3] < 0 ? run[0] : 0;
    rows[(size_t)matched] += run_rows;
    kept += run_rows;
    contigs[k++] = (int32_t)matched;
    slot = -1;
  }
  state[8] = -1;
  for (; k < n; k++) {
    const int32_t *run = numbers + RUN_NUMBERS * k;
    const int32_t hash = run[4];
    size_t i = slot >= 0 ? (size_t)slot : (size_t)(uint32_t)hash & mask;
    slot = -1;
    while (table[i] != 0 && hashes[table[i] - 1] != hash) i = (i + 1) & mask;
    if (table[i] != 0) {
      state[1] = (double)i;
      state[7] = table[i] - 1;
      break;
    }
    const double run_rows = run[3] < 0 ? run[0] : 0;
    const size_t contig = count++;
    table[i] = (int32_t)count;
    hashes[contig] = hash;
    rows[contig] = run_rows;
    name_chunk[contig] = chunk;
    name_run[contig] = (int32_t)k;
    name_start[contig] = names_at + run[5];
    name_length[contig] = run[6];
    if (run[6] > longest) longest = run[6];
    contigs[k] = (int32_t)contig;
    kept += run_rows;
  }
  state[0] = (double)k;
  state[2] = (double)count;
  state[5] = longest;
  state[6] = kept;
  return NULL;
}

/* hashTable(hashes, count, table): `table` emptied, then the first `count` contigs' hashes into it (as groupRuns finds them). */
static napi_value hash_table(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  void *hashes_data, *table_data;
  size_t hashes_length, table_length;
  uint32_t count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 || napi_get_value_uint32(env, argv[1], &count) != napi_ok) {
    napi_throw_type_error(env, NULL, "hashTable(hashes, count, table)");
    return NULL;
  }
  if (!array_of(env, argv[0], napi_int32_array, count, &hashes_data, &hashes_length) || !array_of(env, argv[2], napi_int32_array, 2 * (size_t)count, &table_data, &table_length)) return NULL;
  const size_t mask = table_length - 1;
  if ((table_length & mask) != 0) {
    napi_throw_range_error(env, NULL, "hashTable: the table's length is not a power of two");
    return NULL;
  }
  const int32_t *hashes = hashes_data;
  int32_t *table = table_data;
  memset(table, 0, table_length * sizeof *table);
  for (size_t contig = 0; contig < count; contig++) {
    size_t i = (size_t)(uint32_t)hashes[contig] & mask;
    while (table[i] != 0) i = (i + 1) & mask;
    table[i] = (int32_t)(contig + 1);
  }
  return NULL;
}

/*
 * placeContigs(rows, count, starts, sizes, next, alignment): each of the first `count` contigs with
 * rows gets its first row and rows at the next index of `starts` and `sizes` (which may be `rows`
 * itself: each is read before its index is written), and its first row in `next` (indexed by
 * contig; -1 for one without rows); one of `alignment` rows or more starts on a multiple of it.
 * Returns how many got rows.
 */
static napi_value place_contigs(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  void *rows_data, *starts_data, *sizes_data, *next_data;
  size_t rows_length, starts_length, sizes_length, next_length;
  uint32_t count, alignment;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 6 || napi_get_value_uint32(env, argv[1], &count) != napi_ok ||
      napi_get_value_uint32(env, argv[5], &alignment) != napi_ok || alignment == 0) {
    napi_throw_type_error(env, NULL, "placeContigs(rows, count, starts, sizes, next, alignment)");
    return NULL;
  }
  if (!array_of(env, argv[0], napi_float64_array, count, &rows_data, &rows_length) || !array_of(env, argv[2], napi_float64_array, count, &starts_data, &starts_length) ||
      !array_of(env, argv[3], napi_float64_array, count, &sizes_data, &sizes_length) || !array_of(env, argv[4], napi_float64_array, count, &next_data, &next_length)) return NULL;
  const double *rows = rows_data;
  double *starts = starts_data, *sizes = sizes_data, *next = next_data;
  size_t placed = 0;
  double dest = 0;
  for (size_t contig = 0; contig < count; contig++) {
    const double total = rows[contig];
    if (total == 0) {
      next[contig] = -1;
      continue;
    }
    if (total >= alignment) dest = ceil(dest / alignment) * alignment;
    next[contig] = dest;
    starts[placed] = dest;
    sizes[placed++] = total;
    dest += total;
  }
  return number(env, (double)placed);
}

/*
 * chunkMoves(numbers, contigs, next, from, state, out): the moves of a chunk's runs (rows from row
 * `from` of the parse regions on), in file order: each run with rows goes to its contig's next row
 * (`next`, advanced), one move for runs that follow each other in the file and in the plan. state:
 * the open move's source, target and rows (target -1: none yet), then 1 while the moves are in
 * target order (0 after); a move closed is written to `out`, three numbers each (source, target,
 * rows). Returns how many were closed; `out` has room for one a run.
 */
static napi_value chunk_moves(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  void *numbers_data, *contigs_data, *next_data, *state_data, *out_data;
  size_t numbers_length, contigs_length, next_length, state_length, out_length;
  double from;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 6 || napi_get_value_double(env, argv[3], &from) != napi_ok) {
    napi_throw_type_error(env, NULL, "chunkMoves(numbers, contigs, next, from, state, out)");
    return NULL;
  }
  if (!array_of(env, argv[0], napi_int32_array, 0, &numbers_data, &numbers_length)) return NULL;
  const size_t n = numbers_length / RUN_NUMBERS;
  if (!array_of(env, argv[1], napi_int32_array, n, &contigs_data, &contigs_length) || !array_of(env, argv[2], napi_float64_array, 0, &next_data, &next_length) ||
      !array_of(env, argv[4], napi_float64_array, 4, &state_data, &state_length) || !array_of(env, argv[5], napi_float64_array, 3 * n, &out_data, &out_length)) return NULL;
  const int32_t *numbers = numbers_data, *contigs = contigs_data;
  double *next = next_data, *state = state_data, *out = out_data;
  double src = state[0], dest = state[1], rows = state[2], ordered = state[3];
  size_t closed = 0;
  for (size_t k = 0; k < n; k++) {
    const int32_t *run = numbers + RUN_NUMBERS * k;
    const double count = run[0];
    if (count > 0 && run[3] < 0) {
      const int32_t contig = contigs[k];
      if (contig < 0 || (size_t)contig >= next_length) {
        napi_throw_range_error(env, NULL, "chunkMoves: a run's contig is out of range");
        return NULL;
      }
      const double to = next[contig];
      next[contig] = to + count;
      if (src + rows == from && dest + rows == to) rows += count;
      else {
        if (dest >= 0) {
          out[3 * closed] = src;
          out[3 * closed + 1] = dest;
          out[3 * closed + 2] = rows;
          closed++;
        }
        if (to < dest) ordered = 0;
        src = from;
        dest = to;
        rows = count;
      }
    }
    from += count;
  }
  state[0] = src;
  state[1] = dest;
  state[2] = rows;
  state[3] = ordered;
  return number(env, (double)closed);
}

/*
 * tableTasks(row, rows, contig, nameStart, nameLength, first, tasks): the four numbers a task of
 * haplotypeLines and statsLines takes (its first row from the first batch's, rows, name offset and
 * length) for each batch from `first` of a span table (src/layout/batch-table.ts `SpanTable`), one
 * task per four numbers of `tasks` (src/worker/task-group.ts `tableNumbers`, whose loop does the
 * same without it). Returns the rows the views must hold, or -1 when a batch starts before the
 * first one's rows.
 */
static napi_value table_tasks(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  void *row_data, *rows_data, *contig_data, *start_data, *length_data, *tasks_data;
  size_t row_length, rows_length, contig_length, start_length, length_length, tasks_length;
  uint32_t first;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 7 || napi_get_value_uint32(env, argv[5], &first) != napi_ok) {
    napi_throw_type_error(env, NULL, "tableTasks(row, rows, contig, nameStart, nameLength, first, tasks)");
    return NULL;
  }
  if (!array_of(env, argv[6], napi_float64_array, 0, &tasks_data, &tasks_length)) return NULL;
  const size_t count = tasks_length / 4, end = (size_t)first + count;
  if (!array_of(env, argv[0], napi_float64_array, end, &row_data, &row_length) || !array_of(env, argv[1], napi_float64_array, end, &rows_data, &rows_length) ||
      !array_of(env, argv[2], napi_float64_array, end, &contig_data, &contig_length) || !array_of(env, argv[3], napi_float64_array, 0, &start_data, &start_length) ||
      !array_of(env, argv[4], napi_float64_array, start_length, &length_data, &length_length)) return NULL;
  const double *row = row_data, *rows = rows_data, *contig = contig_data, *name_start = start_data, *name_length = length_data;
  double *tasks = tasks_data;
  const double start = count > 0 ? row[first] : 0;
  double most = 0;
  for (size_t k = 0; k < count; k++) {
    const size_t b = first + k;
    const double from = row[b] - start, c = contig[b];
    if (from < 0) return number(env, -1);
    if (!(c >= 0 && c < (double)start_length)) {
      napi_throw_range_error(env, NULL, "tableTasks: a batch's contig has no name");
      return NULL;
    }
    tasks[4 * k] = from;
    tasks[4 * k + 1] = rows[b];
    tasks[4 * k + 2] = name_start[(size_t)c];
    tasks[4 * k + 3] = name_length[(size_t)c];
    if (from + rows[b] > most) most = from + rows[b];
  }
  return number(env, most);
}

/*
 * A task's views for haplotypeLines and statsLines: its columns (row 0 of each at the views' first
 * row), the pairs' columns and the output the lines go to; the JavaScript side keeps those arrays
 * alive as long as the views.
 */
typedef struct {
  size_t rows;              /* rows of the views */
  size_t haplotypes;
  const uint8_t **columns;  /* each haplotype column */
  size_t pairs;
  const uint8_t **pair_a;   /* each pair's two columns */
  const uint8_t **pair_b;
  const int32_t *pos;
  const uint8_t *ref;
  uint8_t *out;
  size_t out_length;
} row_views_t;

static void free_row_views(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  row_views_t *e = data;
  free(e->columns);
  free(e->pair_a);
  free(e->pair_b);
  free(e);
}

/* Rows masked at a time: a block's masks stay in the first cache level. */
#define HAP_BLOCK 1024
/* Codes with a mask bit of their own (src/layout/alt-rule.ts `RARE_CODE`); rarer ones set RARE_BIT. */
#define RARE_CODE 7
#define RARE_BIT 128

static inline uint8_t allele_bit(uint8_t code) { return code < RARE_CODE ? (uint8_t)(1u << code) : RARE_BIT; }

/* The mask bit of N (code `missing`, -1: none), or 0 when it has none of its own (src/layout/alt-rule.ts `missingBitOf`). */
static inline uint8_t missing_bit_of(int missing) { return missing >= 0 && missing < 256 ? allele_bit((uint8_t)missing) & (uint8_t)~RARE_BIT : 0; }

/* A row's alt bits: its mask without the bits of N and of its REF (src/layout/alt-rule.ts `altBits`). */
static inline uint8_t alt_bits(uint8_t mask, uint8_t ref, uint8_t missing_bit) {
  const uint8_t alts = mask & (uint8_t)~missing_bit;
  return ref < RARE_CODE ? alts & (uint8_t)~(1u << ref) : alts;
}

/* rowViews(columns, pos, ref, pairs, out): those views for haplotypeLines and statsLines (pairs: two column indexes a pair). */
static napi_value row_views(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  uint32_t count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5 || napi_get_array_length(env, argv[0], &count) != napi_ok) {
    napi_throw_type_error(env, NULL, "rowViews(columns, pos, ref, pairs, out): expected an array of Uint8Array");
    return NULL;
  }
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset, rows, ref_length, pair_numbers, out_length;
  void *pos, *ref, *pairs, *out;
  if (napi_get_typedarray_info(env, argv[1], &type, &rows, &pos, &buffer, &offset) != napi_ok || type != napi_int32_array ||
      !bytes_of(env, argv[2], napi_uint8_array, &ref, &ref_length) ||
      napi_get_typedarray_info(env, argv[3], &type, &pair_numbers, &pairs, &buffer, &offset) != napi_ok || type != napi_int32_array ||
      !bytes_of(env, argv[4], napi_uint8_array, &out, &out_length)) {
    napi_throw_type_error(env, NULL, "rowViews: expected an Int32Array, a Uint8Array, an Int32Array and a Uint8Array");
    return NULL;
  }
  if (ref_length < rows) {
    napi_throw_range_error(env, NULL, "rowViews: REF shorter than POS");
    return NULL;
  }
  row_views_t *e = calloc(1, sizeof(row_views_t));
  if (e != NULL) {
    e->columns = calloc(count + 1, sizeof(uint8_t *));
    e->pair_a = calloc(pair_numbers / 2 + 1, sizeof(uint8_t *));
    e->pair_b = calloc(pair_numbers / 2 + 1, sizeof(uint8_t *));
  }
  if (e == NULL || e->columns == NULL || e->pair_a == NULL || e->pair_b == NULL) {
    if (e != NULL) free_row_views(env, e, NULL);
    napi_throw_error(env, NULL, "genomatrix binding: out of memory");
    return NULL;
  }
  e->rows = rows;
  e->haplotypes = count;
  e->pos = pos;
  e->ref = ref;
  e->out = out;
  e->out_length = out_length;
  if (!columns_of(env, argv[0], count, rows, (uint8_t **)e->columns, "rowViews: a column shorter than POS")) {
    free_row_views(env, e, NULL);
    return NULL;
  }
  const int32_t *pair = pairs;
  e->pairs = pair_numbers / 2;
  for (size_t p = 0; p < e->pairs; p++) {
    if (pair[2 * p] < 0 || (uint32_t)pair[2 * p] >= count || pair[2 * p + 1] < 0 || (uint32_t)pair[2 * p + 1] >= count) {
      free_row_views(env, e, NULL);
      napi_throw_range_error(env, NULL, "rowViews: a pair's column out of range");
      return NULL;
    }
    e->pair_a[p] = e->columns[pair[2 * p]];
    e->pair_b[p] = e->columns[pair[2 * p + 1]];
  }
  napi_value result;
  if (napi_create_external(env, e, free_row_views, NULL, &result) != napi_ok) {
    free_row_views(env, e, NULL);
    return NULL;
  }
  return result;
}

/* A number (POS, a count) in decimal at `o`; returns the new offset. */
static inline size_t put_count(uint8_t *out, size_t o, uint64_t value) {
  uint8_t digits[20];
  int d = 20;
  do {
    digits[--d] = (uint8_t)('0' + value % 10);
    value /= 10;
  } while (value > 0);
  memcpy(out + o, digits + d, (size_t)(20 - d));
  return o + (size_t)(20 - d);
}

/* What the lines of one task's rows are written from: each code's byte, the codes of N and -, scratch. */
typedef struct {
  const uint8_t *byte;
  int missing, deletion;
  uint8_t missing_bit;
  uint8_t shown[256];
  int32_t seen[256];
} hap_tables_t;

static void hap_tables(hap_tables_t *t, const uint8_t *byte, int missing, int deletion) {
  t->byte = byte;
  t->missing = missing;
  t->deletion = deletion;
  t->missing_bit = missing_bit_of(missing);
  memcpy(t->shown, byte, 256);
  for (int c = 0; c < 256; c++) t->seen[c] = -1;
}

/*
 * The lines of rows [first, first + n) of the encoder's views from out[*at] (the same bytes as
 * encodeBlock in src/worker/haplotype-chunk.ts): contig, the name's bytes; template, every pair's
 * `\t<contig>\t?|?`. Returns 0 when the slot could be too small for a line.
 */
static int encode_rows(const row_views_t *e, hap_tables_t *t, size_t first, size_t n, size_t *at, const uint8_t *contig, size_t contig_length, const uint8_t *template,
                       size_t template_length, size_t *lines) {
  /* The most bytes a line takes: contig, POS (10 digits), REF, up to 256 alts and commas, tabs, the pairs. */
  const size_t line_bound = contig_length + 16 + 2 * 256 + template_length + 1;
  const uint8_t *byte = t->byte;
  const int missing = t->missing, deletion = t->deletion;
  uint8_t mask[HAP_BLOCK], alts[256];
  uint8_t *out = e->out;
  size_t o = *at;
  for (size_t base = first; base < first + n; base += HAP_BLOCK) {
    const size_t rows = first + n - base < HAP_BLOCK ? first + n - base : HAP_BLOCK;
    memset(mask, 0, rows);
    for (size_t h = 0; h < e->haplotypes; h++) {
      const uint8_t *column = e->columns[h] + base;
      for (size_t k = 0; k < rows; k++) mask[k] |= allele_bit(column[k]);
    }
    for (size_t k = 0; k < rows; k++) {
      const size_t r = base + k;
      const uint8_t ref = e->ref[r];
      const uint8_t m = alt_bits(mask[k], ref, t->missing_bit);
      if (m == 0) continue;
      size_t alt_count = 1;
      if ((m & (m - 1)) == 0 && m != RARE_BIT) alts[0] = (uint8_t)__builtin_ctz(m);
      else {
        /* The alt rule's scan (src/layout/alt-rule.ts `altAlleles`): distinct codes, not N or REF, in column order. */
        alt_count = 0;
        for (size_t h = 0; h < e->haplotypes; h++) {
          const uint8_t c = e->columns[h][r];
          if ((int)c != missing && c != ref && t->seen[c] != (int32_t)r) {
            t->seen[c] = (int32_t)r;
            alts[alt_count++] = c;
          }
        }
        if (alt_count == 0) continue;
      }
      if (e->out_length - o < line_bound) return 0;
      memcpy(out + o, contig, contig_length);
      o += contig_length;
      out[o++] = TAB;
      o = put_count(out, o, (uint32_t)e->pos[r]);
      out[o++] = TAB;
      out[o++] = byte[ref];
      out[o++] = TAB;
      for (size_t i = 0; i < alt_count; i++) {
        if (i > 0) out[o++] = ',';
        out[o++] = byte[alts[i]];
      }
      /* Each pair's fragment copied whole, then its two alleles written in; N and - show the row's REF. */
      if (missing >= 0) t->shown[missing] = byte[ref];
      if (deletion >= 0) t->shown[deletion] = byte[ref];
      if (template_length > 0) memcpy(out + o, template, template_length);
      const size_t fragment = contig_length + 5;
      for (size_t p = 0, a = o + contig_length + 2; p < e->pairs; p++, a += fragment) {
        out[a] = t->shown[e->pair_a[p][r]];
        out[a + 2] = t->shown[e->pair_b[p][r]];
      }
      o += template_length;
      out[o++] = NL;
      (*lines)++;
    }
  }
  *at = o;
  return 1;
}

/*
 * The haplotype table's lines for one-byte alleles (src/worker/haplotype-chunk.ts, which writes
 * every other form): the same bytes as its `encodeBlock`, from the same tables.
 *
 * haplotypeLines(views, tasks, names, at, bytes, state): the lines of one or more tasks' rows one
 * after the other from out[at] (a span's small contigs in one call): tasks holds four numbers a
 * task (its first row in the views, its rows, its contig name's offset and length in names' UTF-8
 * bytes); the pairs' fragment `\t<contig>\t?|?` is made here for each name. bytes: each code's one
 * allele byte (256); state: [missing code or -1, deletion code or -1] in, [offset after the lines,
 * lines] out. Throws when the slot could be too small (the caller sizes it as for JavaScript).
 */
static napi_value haplotype_lines(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  row_views_t *e;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 6 || napi_get_value_external(env, argv[0], (void **)&e) != napi_ok) {
    napi_throw_type_error(env, NULL, "haplotypeLines(views, tasks, names, at, bytes, state): expected views");
    return NULL;
  }
  void *tasks_data, *names_data, *bytes_data, *state_data;
  size_t task_numbers, names_length, bytes_length, state_length, offset;
  double at_value;
  napi_typedarray_type type;
  napi_value buffer;
  if (napi_get_typedarray_info(env, argv[1], &type, &task_numbers, &tasks_data, &buffer, &offset) != napi_ok || type != napi_float64_array ||
      !bytes_of(env, argv[2], napi_uint8_array, &names_data, &names_length) || napi_get_value_double(env, argv[3], &at_value) != napi_ok ||
      !bytes_of(env, argv[4], napi_uint8_array, &bytes_data, &bytes_length) ||
      napi_get_typedarray_info(env, argv[5], &type, &state_length, &state_data, &buffer, &offset) != napi_ok || type != napi_float64_array || state_length < 2 || bytes_length < 256) {
    napi_throw_type_error(env, NULL, "haplotypeLines: expected a Float64Array, a Uint8Array, a number, a Uint8Array and a Float64Array of 2");
    return NULL;
  }
  const double *tasks = tasks_data;
  const uint8_t *names = names_data;
  size_t o = (size_t)at_value;
  if (at_value < 0 || o > e->out_length) {
    napi_throw_range_error(env, NULL, "haplotypeLines: offset out of range");
    return NULL;
  }
  double *state = state_data;
  hap_tables_t t;
  hap_tables(&t, bytes_data, (int)state[0], (int)state[1]);
  uint8_t *template = NULL;
  size_t template_room = 0, lines = 0;
  int ok = 1;
  const char *problem = NULL;
  for (size_t k = 0; k + 4 <= task_numbers && ok; k += 4) {
    const double row = tasks[k], n = tasks[k + 1], from = tasks[k + 2], length = tasks[k + 3];
    if (row < 0 || n < 0 || from < 0 || length < 0 || (size_t)row + (size_t)n > e->rows || (size_t)from + (size_t)length > names_length) {
      problem = "haplotypeLines: a task's rows or name out of range";
      break;
    }
    const uint8_t *contig = names + (size_t)from;
    const size_t contig_length = (size_t)length, fragment = contig_length + 5, template_length = e->pairs * fragment;
    if (template_length > template_room) {
      free(template);
      template_room = 2 * template_length;
      template = malloc(template_room);
      if (template == NULL) {
        problem = "genomatrix binding: out of memory";
        break;
      }
    }
    for (size_t p = 0; p < e->pairs; p++) {
      uint8_t *f = template + p * fragment;
      f[0] = TAB;
      memcpy(f + 1, contig, contig_length);
      f[contig_length + 1] = TAB;
      f[contig_length + 3] = '|';
    }
    ok = encode_rows(e, &t, (size_t)row, (size_t)n, &o, contig, contig_length, template, template_length, &lines);
  }
  free(template);
  if (problem != NULL || !ok) {
    napi_throw_range_error(env, NULL, problem != NULL ? problem : "haplotype task: output slot too small for its rows");
    return NULL;
  }
  state[0] = (double)o;
  state[1] = (double)lines;
  return NULL;
}

/*
 * count / total (at most 1) with six decimals as JavaScript's `(count / total).toFixed(6)` writes
 * it, `NA` when total is 0: the quotient's exact binary value times 10^6, rounded half up (the
 * larger of two equally near integers, as the ECMAScript specification says; printf's %.6f rounds
 * such ties, as 1/128, to even). Returns the new offset.
 */
static size_t put_rate(uint8_t *out, size_t o, double count, double total) {
  if (total == 0) {
    out[o++] = 'N';
    out[o++] = 'A';
    return o;
  }
  int e;
  const double m = frexp(count / total, &e); /* the quotient = m * 2^e, 0.5 <= m < 1, or 0 */
  const unsigned __int128 scaled = (unsigned __int128)(uint64_t)ldexp(m, 53) * 1000000u; /* quotient * 10^6 * 2^(53 - e) */
  const int shift = 53 - e;                                                                /* at least 52: the quotient is at most 1 */
  const uint64_t n = shift >= 128 ? 0 : (uint64_t)((scaled + ((unsigned __int128)1 << (shift - 1))) >> shift);
  o = put_count(out, o, n / 1000000);
  out[o++] = '.';
  uint32_t fraction = (uint32_t)(n % 1000000);
  for (int d = 5; d >= 0; d--) {
    out[o + (size_t)d] = (uint8_t)('0' + fraction % 10);
    fraction /= 10;
  }
  return o + 6;
}

/*
 * The ends of lines (`count\ttotal\trate\n`) made so far, by their two numbers: a small contig's
 * lines end in few different ways (its sites are the total of most, counts are at most its sites),
 * and each way is made once instead of once a line. Direct-mapped: an end whose slot another
 * holds is made again.
 */
#define KEPT_BITS 11
#define KEPT_ENDS (1 << KEPT_BITS)

/* Bytes of a line's end: up to 20 digits, a tab, 20 digits, a tab, 8 bytes of rate, a newline. */
#define END_BYTES 51

/* An end of at most 47 bytes (longer ones are made each time), in 64 bytes. */
typedef struct {
  double count, total; /* total -2: no end kept */
  uint8_t length;
  uint8_t bytes[47];
} kept_end_t;

typedef struct {
  kept_end_t slot[KEPT_ENDS];
  uint8_t scratch[128]; /* an end too long to keep; and 64 bytes readable after the last slot */
} line_ends_t;

/* A line's numbers (total < 0: none) into `into`; returns their bytes. */
static size_t format_end(uint8_t *into, double count, double total) {
  size_t o = put_count(into, 0, (uint64_t)count);
  if (total < 0) {
    memcpy(into + o, "\t.\t.\n", 5);
    return o + 5;
  }
  into[o++] = TAB;
  o = put_count(into, o, (uint64_t)total);
  into[o++] = TAB;
  o = put_rate(into, o, count, total);
  into[o++] = NL;
  return o;
}

/* A line's end, made or found kept; *length set to its bytes. */
static inline const uint8_t *line_end(line_ends_t *ends, double count, double total, size_t *length) {
  const uint32_t key = (uint32_t)(uint64_t)count * 0x9E3779B1u ^ (uint32_t)(uint64_t)(total + 2) * 0x85EBCA77u;
  kept_end_t *kept = &ends->slot[key >> (32 - KEPT_BITS)];
  if (kept->count != count || kept->total != total) {
    uint8_t end[END_BYTES];
    const size_t made = format_end(end, count, total);
    if (made > sizeof kept->bytes) {
      memcpy(ends->scratch, end, made);
      *length = made;
      return ends->scratch;
    }
    memcpy(kept->bytes, end, made);
    kept->length = (uint8_t)made;
    kept->count = count;
    kept->total = total;
  }
  *length = kept->length;
  return kept->bytes;
}

/*
 * Copies `length` bytes to out[o], from `from`, which has at least 64 readable bytes: as one copy
 * of 16, 32 or 64 bytes (whose bytes past `length` the next copy writes over) when it fits `room`.
 */
static inline void put_bytes(uint8_t *out, size_t o, size_t room, const uint8_t *from, size_t length) {
  if (o + 64 > room || length > 64) memcpy(out + o, from, length);
  else if (length <= 16) memcpy(out + o, from, 16);
  else if (length <= 32) memcpy(out + o, from, 32);
  else memcpy(out + o, from, 64);
}

/* What every scope's lines share: each line's middle, each allele line's code, the shape of the counts. */
typedef struct {
  const uint8_t *middles;
  const int32_t *ends;
  const int32_t *alleles;
  size_t allele_count, codes, haplotypes, pairs;
} stats_table_t;

/* One scope's counts: sites, variable and multi-allelic sites, per haplotype, per code and per pair. */
typedef struct {
  double sites, variable, multiallelic;
  const double *missed, *deleted, *code_cells, *called, *het;
} stats_scope_t;

/*
 * A scope's lines in table order (src/convert/stats-table.ts `lineNumbers`) from out[o], whose
 * bytes are `room`; returns the offset after them. With out NULL, nothing is written: the offset
 * tells their bytes. `name` and each middle have 64 readable bytes (put_bytes).
 */
static size_t scope_lines(uint8_t *out, size_t o, size_t room, const stats_table_t *t, const stats_scope_t *s, const uint8_t *name, size_t name_length, line_ends_t *ends) {
  size_t line = 0;
#define LINE(count, total)                                                                   \
  do {                                                                                       \
    const size_t middle_length = (size_t)(t->ends[line + 1] - t->ends[line]);                \
    size_t end_length;                                                                       \
    const uint8_t *end = line_end(ends, (count), (total), &end_length);                      \
    if (out != NULL) {                                                                       \
      put_bytes(out, o, room, name, name_length);                                            \
      put_bytes(out, o + name_length, room, t->middles + t->ends[line], middle_length);      \
      put_bytes(out, o + name_length + middle_length, room, end, end_length);                \
    }                                                                                        \
    o += name_length + middle_length + end_length;                                           \
    line++;                                                                                  \
  } while (0)
  LINE(s->sites, -1);
  LINE(s->variable, s->sites);
  LINE(s->sites - s->variable, s->sites);
  LINE(s->multiallelic, s->sites);
  for (size_t h = 0; h < t->haplotypes; h++) LINE(s->missed[h], s->sites);
  for (size_t h = 0; h < t->haplotypes; h++) LINE(s->deleted[h], s->sites);
  for (size_t a = 0; a < t->allele_count; a++) LINE((size_t)t->alleles[a] < t->codes ? s->code_cells[t->alleles[a]] : 0, s->sites * (double)t->haplotypes);
  for (size_t p = 0; p < t->pairs; p++) LINE(s->called[p], s->sites);
  for (size_t p = 0; p < t->pairs; p++) LINE(s->het[p], s->called[p]);
#undef LINE
  return o;
}

/*
 * The statistics of a span's small contigs, each a whole contig (src/worker/stats-chunk.ts
 * `runStatsJoined`, whose `countRows` and `StatsTableWriter.scope` count and write every other
 * contig): the same counts, and the same lines of the table, from out[at].
 *
 * statsLines(views, tasks, names, middles, middleEnds, alleles, at, state, sum): tasks and names as
 * for haplotypeLines; middles: the `\tstatistic\titem\t` of each line of a contig, in table order
 * (sites, variable, dropped and multi-allelic sites, each haplotype's missing then deleted cells,
 * each allele's cells, each pair's called then heterozygous sites), line k's from middleEnds[k] to
 * middleEnds[k + 1]; alleles: the code of each allele line's allele; state = [code of N, code of -
 * (-1: none), codes in the dictionary] in, [3] the offset after the lines and [7] the tasks done
 * out, [4-6] sites, variable and multi-allelic sites added to; sum: each haplotype's cells of each
 * code (a row of `codes` a haplotype), then each pair's called and heterozygous sites, added to.
 * It stops before the first task whose lines do not fit the output: the tasks done are counted in
 * state and sum, the others not at all.
 */
static napi_value stats_lines(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  row_views_t *e;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 9 || napi_get_value_external(env, argv[0], (void **)&e) != napi_ok) {
    napi_throw_type_error(env, NULL, "statsLines(views, tasks, names, middles, middleEnds, alleles, at, state, sum): expected views");
    return NULL;
  }
  void *tasks_data, *names_data, *middles_data, *ends_data, *alleles_data, *state_data, *sum_data;
  size_t task_numbers, names_length, middles_length, ends_length, allele_count, state_length, sum_length, offset;
  double at_value;
  napi_typedarray_type type, ends_type, alleles_type, state_type, sum_type;
  napi_value buffer;
  if (napi_get_typedarray_info(env, argv[1], &type, &task_numbers, &tasks_data, &buffer, &offset) != napi_ok || type != napi_float64_array ||
      !bytes_of(env, argv[2], napi_uint8_array, &names_data, &names_length) || !bytes_of(env, argv[3], napi_uint8_array, &middles_data, &middles_length) ||
      napi_get_typedarray_info(env, argv[4], &ends_type, &ends_length, &ends_data, &buffer, &offset) != napi_ok || ends_type != napi_int32_array ||
      napi_get_typedarray_info(env, argv[5], &alleles_type, &allele_count, &alleles_data, &buffer, &offset) != napi_ok || alleles_type != napi_int32_array ||
      napi_get_value_double(env, argv[6], &at_value) != napi_ok ||
      napi_get_typedarray_info(env, argv[7], &state_type, &state_length, &state_data, &buffer, &offset) != napi_ok || state_type != napi_float64_array || state_length < 8 ||
      napi_get_typedarray_info(env, argv[8], &sum_type, &sum_length, &sum_data, &buffer, &offset) != napi_ok || sum_type != napi_float64_array) {
    napi_throw_type_error(env, NULL, "statsLines: expected a Float64Array, two Uint8Arrays, two Int32Arrays, a number and two Float64Arrays (state of 8)");
    return NULL;
  }
  const double *tasks = tasks_data;
  const uint8_t *names = names_data, *middles = middles_data;
  const int32_t *ends = ends_data, *alleles = alleles_data;
  double *state = state_data, *sum = sum_data;
  const size_t haplotypes = e->haplotypes, pairs = e->pairs, lines = 4 + 2 * haplotypes + allele_count + 2 * pairs;
  const int missing = (int)state[0], deletion = (int)state[1];
  const size_t codes = state[2] >= 0 && state[2] <= 256 ? (size_t)state[2] : 257;
  const char *problem = NULL;
  if (codes > 256 || sum_length != haplotypes * codes + 2 * pairs || ends_length != lines + 1 || ends[0] != 0 || (size_t)ends[lines] > middles_length) problem = "statsLines: state, sum or middles do not fit the views";
  for (size_t k = 0; k < lines && problem == NULL; k++)
    if (ends[k + 1] < ends[k]) problem = "statsLines: middles out of order";
  for (size_t a = 0; a < allele_count && problem == NULL; a++)
    if (alleles[a] < 0 || alleles[a] > 255) problem = "statsLines: an allele code out of range";
  size_t o = (size_t)at_value;
  if (problem == NULL && (at_value < 0 || o > e->out_length)) problem = "statsLines: offset out of range";
  if (problem != NULL) {
    napi_throw_range_error(env, NULL, problem);
    return NULL;
  }
  size_t most_rows = 0;
  for (size_t k = 0; k + 4 <= task_numbers; k += 4)
    if (tasks[k + 1] > most_rows && tasks[k + 1] <= e->rows) most_rows = (size_t)tasks[k + 1]; /* the others are refused below */
  thread_t *thread = thread_of(env);
  if (thread == NULL) return NULL;
  /* Per contig: each haplotype's missing and deleted cells, each pair's called and heterozygous sites; the row masks. */
  double *numbers = malloc((2 * haplotypes + 2 * pairs + 1) * sizeof(double));
  uint8_t *mask = malloc(most_rows + 1);
  uint32_t *counted = malloc((haplotypes * codes + 1) * sizeof(uint32_t)); /* each haplotype's cells of each code, until the lines are written */
  /* The thread's kept ends, made at its first call and kept with what they hold: an end's bytes follow from its two numbers. */
  if (thread->line_ends == NULL && (thread->line_ends = malloc(sizeof(line_ends_t))) != NULL) {
    line_ends_t *made = thread->line_ends;
    for (size_t k = 0; k < KEPT_ENDS; k++) {
      made->slot[k].count = -1;
      made->slot[k].total = -2;
    }
  }
  line_ends_t *kept = thread->line_ends;
  /* The names and middles with 64 bytes after them (scope_lines copies 64 bytes at a time). */
  uint8_t *padded = malloc(names_length + (size_t)ends[lines] + 128);
  if (numbers == NULL || mask == NULL || counted == NULL || kept == NULL || padded == NULL) {
    free(numbers);
    free(mask);
    free(counted);
    free(padded);
    napi_throw_error(env, NULL, "genomatrix binding: out of memory");
    return NULL;
  }
  uint8_t *padded_middles = padded + names_length + 64;
  memcpy(padded, names, names_length);
  memset(padded + names_length, 0, 64);
  memcpy(padded_middles, middles, (size_t)ends[lines]);
  memset(padded_middles + ends[lines], 0, 64);
  double *missed = numbers, *deleted = numbers + haplotypes, *called = numbers + 2 * haplotypes, *het = called + pairs;
  uint32_t histogram[4][256] = { { 0 } };
  /* 1 for a called code (neither N nor -), 0 for those two. */
  uint8_t called_code[256];
  for (int c = 0; c < 256; c++) called_code[c] = c != missing && c != deletion;
  double code_cells[256];
  const uint8_t missing_bit = missing_bit_of(missing);
  const stats_table_t table = { padded_middles, ends, alleles, allele_count, codes, haplotypes, pairs };
  size_t done = 0;
  for (size_t k = 0; k + 4 <= task_numbers && problem == NULL; k += 4) {
    const double row_value = tasks[k], n_value = tasks[k + 1], from = tasks[k + 2], length = tasks[k + 3];
    if (row_value < 0 || n_value < 0 || from < 0 || length < 0 || (size_t)row_value + (size_t)n_value > e->rows || (size_t)from + (size_t)length > names_length) {
      problem = "statsLines: a task's rows or name out of range";
      break;
    }
    const size_t row = (size_t)row_value, n = (size_t)n_value, name_length = (size_t)length;
    const uint8_t *name = padded + (size_t)from;
    /* Each haplotype's codes counted, column by column; each row's allele mask ORed on the way. */
    memset(mask, 0, n);
    memset(code_cells, 0, codes * sizeof(double));
    for (size_t h = 0; h < haplotypes && problem == NULL; h++) {
      const uint8_t *column = e->columns[h] + row;
      uint8_t top = 0;
      /* Four histograms, a cell in each in turn: a column's cells are mostly one code, and one
         histogram's counter would wait on its own last increment for every cell. */
      size_t i = 0;
      for (; i + 4 <= n; i += 4) {
        const uint8_t c0 = column[i], c1 = column[i + 1], c2 = column[i + 2], c3 = column[i + 3];
        histogram[0][c0]++;
        histogram[1][c1]++;
        histogram[2][c2]++;
        histogram[3][c3]++;
        mask[i] |= allele_bit(c0);
        mask[i + 1] |= allele_bit(c1);
        mask[i + 2] |= allele_bit(c2);
        mask[i + 3] |= allele_bit(c3);
        const uint8_t high01 = c0 > c1 ? c0 : c1, high23 = c2 > c3 ? c2 : c3, high = high01 > high23 ? high01 : high23;
        if (high > top) top = high;
      }
      for (; i < n; i++) {
        const uint8_t c = column[i];
        histogram[0][c]++;
        mask[i] |= allele_bit(c);
        if (c > top) top = c;
      }
      if (n > 0 && top >= codes) {
        problem = "statsLines: a cell's code is not in the dictionary";
        memset(histogram, 0, sizeof histogram);
        break;
      }
      uint32_t *cells = counted + h * codes;
      for (size_t c = 0; c < codes; c++) {
        cells[c] = histogram[0][c] + histogram[1][c] + histogram[2][c] + histogram[3][c];
        code_cells[c] += cells[c];
        histogram[0][c] = histogram[1][c] = histogram[2][c] = histogram[3][c] = 0;
      }
      missed[h] = missing >= 0 && (size_t)missing < codes ? cells[missing] : 0;
      deleted[h] = deletion >= 0 && (size_t)deletion < codes ? cells[deletion] : 0;
    }
    if (problem != NULL) break;
    /* The alt rule (src/layout/alt-rule.ts): a mask without RARE_BIT holds the alts, one bit each; else the cells decide, up to two alts. */
    size_t variable = 0, multiallelic = 0;
    for (size_t i = 0; i < n; i++) {
      const size_t r = row + i;
      const uint8_t ref = e->ref[r];
      const uint8_t m = alt_bits(mask[i], ref, missing_bit);
      if (m == 0) continue;
      size_t alts = (m & (m - 1)) ? 2 : 1;
      if (m & RARE_BIT) {
        int first = -1;
        alts = 0;
        for (size_t h = 0; h < haplotypes; h++) {
          const uint8_t c = e->columns[h][r];
          if ((int)c == missing || c == ref) continue;
          if (first < 0) {
            first = c;
            alts = 1;
          } else if (c != first) {
            alts = 2;
            break;
          }
        }
      }
      if (alts > 0) variable++;
      if (alts > 1) multiallelic++;
    }
    /* Pairs: both members called (neither N nor -), and whether they differ. */
    for (size_t p = 0; p < pairs; p++) {
      const uint8_t *a = e->pair_a[p] + row, *b = e->pair_b[p] + row;
      size_t both = 0, differ = 0;
      for (size_t i = 0; i < n; i++) {
        const uint8_t x = a[i], y = b[i], ok = called_code[x] & called_code[y];
        both += ok;
        differ += ok & (x != y);
      }
      called[p] = (double)both;
      het[p] = (double)differ;
    }
    /* The lines when they fit (their bytes first), then the counts. */
    const stats_scope_t scope = { (double)n, (double)variable, (double)multiallelic, missed, deleted, code_cells, called, het };
    /* Measured only when their bound does not fit: most of a slot holds the bounds of its scopes. */
    const size_t bound = lines * (name_length + END_BYTES) + (size_t)ends[lines];
    if (e->out_length - o < bound && e->out_length - o < scope_lines(NULL, 0, 0, &table, &scope, name, name_length, kept)) break;
    o = scope_lines(e->out, o, e->out_length, &table, &scope, name, name_length, kept);
    for (size_t i = 0; i < haplotypes * codes; i++) sum[i] += counted[i];
    for (size_t p = 0; p < pairs; p++) {
      sum[haplotypes * codes + p] += called[p];
      sum[haplotypes * codes + pairs + p] += het[p];
    }
    state[4] += (double)n;
    state[5] += (double)variable;
    state[6] += (double)multiallelic;
    done++;
  }
  free(numbers);
  free(mask);
  free(counted);
  free(padded);
  if (problem != NULL) {
    napi_throw_range_error(env, NULL, problem);
    return NULL;
  }
  state[3] = (double)o;
  state[7] = (double)done;
  return NULL;
}

/*
 * Ends the process at once with exit status `code`, as _exit does: the kernel frees its memory in
 * one go, where Node's own exit stops each worker thread and frees its heap page by page (20-40 ms
 * of a run here, munmap being slow on these virtual machines). The caller has finished every
 * write: nothing buffered in the process survives this.
 */
static napi_value exit_now(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t code = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc > 0) napi_get_value_int32(env, argv[0], &code);
  _exit(code);
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  const napi_property_descriptor functions[] = {
    { "gunzip", NULL, gunzip, NULL, NULL, NULL, napi_enumerable, NULL },
    { "createInflater", NULL, create_inflater, NULL, NULL, NULL, napi_enumerable, NULL },
    { "inflate", NULL, inflate, NULL, NULL, NULL, napi_enumerable, NULL },
    { "complete", NULL, complete, NULL, NULL, NULL, napi_enumerable, NULL },
    { "bgzfCompress", NULL, bgzf_compress, NULL, NULL, NULL, napi_enumerable, NULL },
    { "adviseHugePages", NULL, advise_huge_pages, NULL, NULL, NULL, napi_enumerable, NULL },
    { "rowParser", NULL, row_parser, NULL, NULL, NULL, napi_enumerable, NULL },
    { "parseLines", NULL, parse_lines, NULL, NULL, NULL, napi_enumerable, NULL },
    { "rowViews", NULL, row_views, NULL, NULL, NULL, napi_enumerable, NULL },
    { "haplotypeLines", NULL, haplotype_lines, NULL, NULL, NULL, napi_enumerable, NULL },
    { "statsLines", NULL, stats_lines, NULL, NULL, NULL, napi_enumerable, NULL },
    { "exitNow", NULL, exit_now, NULL, NULL, NULL, napi_enumerable, NULL },
    { "groupRuns", NULL, group_runs, NULL, NULL, NULL, napi_enumerable, NULL },
    { "hashTable", NULL, hash_table, NULL, NULL, NULL, napi_enumerable, NULL },
    { "placeContigs", NULL, place_contigs, NULL, NULL, NULL, napi_enumerable, NULL },
    { "chunkMoves", NULL, chunk_moves, NULL, NULL, NULL, napi_enumerable, NULL },
    { "tableTasks", NULL, table_tasks, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  return exports;
}
