/*
 * genomatrix's optional native binding (loaded by src/native.ts), for six jobs JavaScript cannot
 * do, or not as fast:
 *
 * - ISA-L's inflate (Intel's Intelligent Storage Acceleration Library, igzip), which inflates about
 *   2.5 times as fast as node:zlib on BGZF blocks and 4 times on a gzip stream here, into buffers
 *   the caller owns (src/read/inflate.ts). Each gzip member's header is parsed and its CRC-32 and
 *   size checked. Members follow one another; zero bytes after a member end the data (padding), as
 *   for gzip and node:zlib.
 * - libdeflate's deflate for BGZF output, as htslib's bgzip and bcftools use it, into a buffer the
 *   caller owns (src/write/bgzf.ts): at the default level, 0.73-0.85x node:zlib's time for blocks
 *   1.6% smaller here.
 * - Transparent huge pages for column memory (madvise MADV_HUGEPAGE) before its first touch: one
 *   page fault per 2 MiB instead of per 4 KiB, where the first touch of new memory is most of its
 *   cost (bench/README.md).
 *
 *   gunzip(src, dst)                  whole members of src into dst: bytes written, -1 damaged, -2 dst too small
 *   createInflater()                  a stream of members, fed piece by piece
 *   inflate(inflater, src, dst, out)  out[0] = bytes of src read, out[1] = bytes written; -1 damaged, else 0
 *   complete(inflater)                whether the data so far ends at the end of a member
 *   bgzfCompress(src, dst, level)     src as BGZF blocks (no end block) in dst: bytes written, -2 dst too small
 *   adviseHugePages(bytes)            huge pages over the 2 MiB-aligned inside of bytes' memory: whether granted
 *
 * - The haplotype table's lines for one-byte alleles (src/worker/haplotype-chunk.ts writes the
 *   others): the same bytes as the kernel's own loop, from its tables.
 *
 *   haplotypeEncoder(columns, pos, ref, pairs, out)   an encoder of a task's views
 *   haplotypeLines(encoder, tasks, names, at, bytes, state)
 *                                     the lines of tasks' rows one after the other from out[at],
 *                                     four numbers a task in tasks: first row, rows, name offset
 *                                     and length; state = [N code, - code] in, [offset after the
 *                                     lines, lines] out
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
 */
#define NAPI_VERSION 8
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
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

static int bytes_of(napi_env env, napi_value value, napi_typedarray_type expected, void **data, size_t *length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) != napi_ok || type != expected) {
    napi_throw_type_error(env, NULL, expected == napi_uint32_array ? "expected a Uint32Array" : "expected a Uint8Array");
    return 0;
  }
  return 1;
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
} thread_t;

static void free_thread(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  thread_t *t = data;
  for (int level = 0; level <= MAX_LEVEL; level++) {
    if (t->compressors[level] != NULL) libdeflate_free_compressor(t->compressors[level]);
  }
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
  int granted = 0;
#ifdef MADV_HUGEPAGE
  const uintptr_t huge = (uintptr_t)2 << 20;
  uintptr_t start = ((uintptr_t)data + huge - 1) & ~(huge - 1), end = ((uintptr_t)data + length) & ~(huge - 1);
  granted = end > start && madvise((void *)start, end - start, MADV_HUGEPAGE) == 0;
#endif
  napi_value result;
  napi_get_boolean(env, granted, &result);
  return result;
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

static napi_value parse_lines(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  row_parser_t *parser;
  void *buf_data, *contig_data, *lut_data, *state_data, *runs_data;
  size_t buf_length, contig_length, lut_length, state_length, runs_length, offset;
  napi_typedarray_type type;
  napi_value buffer;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 6 || napi_get_value_external(env, argv[0], (void **)&parser) != napi_ok) {
    napi_throw_type_error(env, NULL, "parseLines(parser, buf, contig, lut, state, runs): expected a row parser");
    return NULL;
  }
  if (!bytes_of(env, argv[1], napi_uint8_array, &buf_data, &buf_length) || !bytes_of(env, argv[2], napi_uint8_array, &contig_data, &contig_length)) return NULL;
  if (napi_get_typedarray_info(env, argv[3], &type, &lut_length, &lut_data, &buffer, &offset) != napi_ok || type != napi_int16_array || lut_length != 256 ||
      napi_get_typedarray_info(env, argv[4], &type, &state_length, &state_data, &buffer, &offset) != napi_ok || type != napi_float64_array || state_length < 8 ||
      napi_get_typedarray_info(env, argv[5], &type, &runs_length, &runs_data, &buffer, &offset) != napi_ok || type != napi_int32_array) {
    napi_throw_type_error(env, NULL, "parseLines: expected an Int16Array of 256, a Float64Array of 8 and an Int32Array");
    return NULL;
  }
  const uint8_t *buf = buf_data, *contig = contig_data;
  const int16_t *lut = lut_data;
  double *state = state_data;
  size_t p = (size_t)state[0], end = (size_t)state[1], stop = (size_t)state[2], row = (size_t)state[3];
  double last_pos = state[4];
  size_t name = (size_t)state[5];
  int allow_unsorted = state[6] != 0;
  size_t run_count = 0;
  int32_t *runs = runs_data;
  if (end > buf_length || name > contig_length || end > INT32_MAX) {
    napi_throw_range_error(env, NULL, "parseLines: state out of range");
    return NULL;
  }
  const size_t last = parser->count - 1;
  uint8_t **codes = parser->codes;
  while (p < end && p < stop && row < parser->capacity) {
    /* CHROM: the current contig's name and a tab, or another contig's when there is room to note it. */
    size_t line_name = name;
    const uint8_t *line_contig = contig;
    if (name == 0 || p + name >= end || buf[p + name] != TAB || memcmp(buf + p, contig, name) != 0) {
      if (run_count >= runs_length / 4) break;
      size_t e = p;
      while (e < end && e - p <= MAX_NAME && buf[e] >= 0x20 && buf[e] <= 0x7e) e++;
      if (e == p || e - p > MAX_NAME || e >= end || buf[e] != TAB) break;
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
      int32_t *run = runs + 4 * run_count++;
      run[0] = (int32_t)row;
      run[1] = (int32_t)last_pos;
      run[2] = (int32_t)p;
      run[3] = (int32_t)line_name;
      contig = line_contig;
      name = line_name;
    }
    parser->pos[row] = (int32_t)value;
    last_pos = value;
    row++;
    p = q + 2 * last + 2;
  }
  state[0] = (double)p;
  state[3] = (double)row;
  state[4] = last_pos;
  state[7] = (double)run_count;
  return NULL;
}

/*
 * The haplotype table's lines for one-byte alleles (src/worker/haplotype-chunk.ts, which writes
 * every other form): the same bytes as its `encodeBlock`, from the same tables. An encoder holds a
 * task's views (row 0 of each at the views' first row), the pairs' columns and the output slot; the
 * JavaScript side keeps those arrays alive as long as the encoder.
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
} hap_encoder_t;

static void free_hap_encoder(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  hap_encoder_t *e = data;
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

/* haplotypeEncoder(columns, pos, ref, pairs, out): an encoder of those views for haplotypeLines (pairs: two column indexes a pair). */
static napi_value haplotype_encoder(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  uint32_t count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5 || napi_get_array_length(env, argv[0], &count) != napi_ok) {
    napi_throw_type_error(env, NULL, "haplotypeEncoder(columns, pos, ref, pairs, out): expected an array of Uint8Array");
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
    napi_throw_type_error(env, NULL, "haplotypeEncoder: expected an Int32Array, a Uint8Array, an Int32Array and a Uint8Array");
    return NULL;
  }
  if (ref_length < rows) {
    napi_throw_range_error(env, NULL, "haplotypeEncoder: REF shorter than POS");
    return NULL;
  }
  hap_encoder_t *e = calloc(1, sizeof(hap_encoder_t));
  if (e != NULL) {
    e->columns = calloc(count + 1, sizeof(uint8_t *));
    e->pair_a = calloc(pair_numbers / 2 + 1, sizeof(uint8_t *));
    e->pair_b = calloc(pair_numbers / 2 + 1, sizeof(uint8_t *));
  }
  if (e == NULL || e->columns == NULL || e->pair_a == NULL || e->pair_b == NULL) {
    if (e != NULL) free_hap_encoder(env, e, NULL);
    napi_throw_error(env, NULL, "genomatrix binding: out of memory");
    return NULL;
  }
  e->rows = rows;
  e->haplotypes = count;
  e->pos = pos;
  e->ref = ref;
  e->out = out;
  e->out_length = out_length;
  if (!columns_of(env, argv[0], count, rows, (uint8_t **)e->columns, "haplotypeEncoder: a column shorter than POS")) {
    free_hap_encoder(env, e, NULL);
    return NULL;
  }
  const int32_t *pair = pairs;
  e->pairs = pair_numbers / 2;
  for (size_t p = 0; p < e->pairs; p++) {
    if (pair[2 * p] < 0 || (uint32_t)pair[2 * p] >= count || pair[2 * p + 1] < 0 || (uint32_t)pair[2 * p + 1] >= count) {
      free_hap_encoder(env, e, NULL);
      napi_throw_range_error(env, NULL, "haplotypeEncoder: a pair's column out of range");
      return NULL;
    }
    e->pair_a[p] = e->columns[pair[2 * p]];
    e->pair_b[p] = e->columns[pair[2 * p + 1]];
  }
  napi_value result;
  if (napi_create_external(env, e, free_hap_encoder, NULL, &result) != napi_ok) {
    free_hap_encoder(env, e, NULL);
    return NULL;
  }
  return result;
}

/* POS in decimal at `o`; returns the new offset. */
static inline size_t put_pos(uint8_t *out, size_t o, uint32_t value) {
  uint8_t digits[10];
  int d = 10;
  do {
    digits[--d] = (uint8_t)('0' + value % 10);
    value /= 10;
  } while (value > 0);
  memcpy(out + o, digits + d, (size_t)(10 - d));
  return o + (size_t)(10 - d);
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
  t->missing_bit = missing >= 0 ? allele_bit((uint8_t)missing) & (uint8_t)~RARE_BIT : 0;
  memcpy(t->shown, byte, 256);
  for (int c = 0; c < 256; c++) t->seen[c] = -1;
}

/*
 * The lines of rows [first, first + n) of the encoder's views from out[*at] (the same bytes as
 * encodeBlock in src/worker/haplotype-chunk.ts): contig, the name's bytes; template, every pair's
 * `\t<contig>\t?|?`. Returns 0 when the slot could be too small for a line.
 */
static int encode_rows(const hap_encoder_t *e, hap_tables_t *t, size_t first, size_t n, size_t *at, const uint8_t *contig, size_t contig_length, const uint8_t *template,
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
      uint8_t m = mask[k] & (uint8_t)~t->missing_bit;
      if (ref < RARE_CODE) m &= (uint8_t)~(1u << ref);
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
      o = put_pos(out, o, (uint32_t)e->pos[r]);
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
 * haplotypeLines(encoder, tasks, names, at, bytes, state): the lines of one or more tasks' rows one
 * after the other from out[at] (a span's small contigs in one call): tasks holds four numbers a
 * task (its first row in the views, its rows, its contig name's offset and length in names' UTF-8
 * bytes); the pairs' fragment `\t<contig>\t?|?` is made here for each name. bytes: each code's one
 * allele byte (256); state: [missing code or -1, deletion code or -1] in, [offset after the lines,
 * lines] out. Throws when the slot could be too small (the caller sizes it as for JavaScript).
 */
static napi_value haplotype_lines(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  hap_encoder_t *e;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 6 || napi_get_value_external(env, argv[0], (void **)&e) != napi_ok) {
    napi_throw_type_error(env, NULL, "haplotypeLines(encoder, tasks, names, at, bytes, state): expected an encoder");
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
    { "haplotypeEncoder", NULL, haplotype_encoder, NULL, NULL, NULL, napi_enumerable, NULL },
    { "haplotypeLines", NULL, haplotype_lines, NULL, NULL, NULL, napi_enumerable, NULL },
    { "exitNow", NULL, exit_now, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  return exports;
}
