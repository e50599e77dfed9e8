/*
 * genomatrix's optional binding to libdeflate, the library that htslib (and so bgzip and bcftools)
 * inflates BGZF blocks with. It inflates about 2.5 times as fast as node:zlib here, and into a
 * buffer the caller owns, so a worker reuses one buffer for every block group of a load instead of
 * leaving a new one behind each time (src/worker/gunzip-into.ts).
 *
 *   gunzip(src, dst) -> bytes written into dst, or -1 (damaged data) or -2 (dst too small)
 *
 * src holds whole gzip members, one after the other (a BGZF block is one member); the CRC-32 and
 * the size in each member's trailer are checked. Each thread (a worker is an environment of its
 * own) gets its own decompressor: libdeflate's are not shared between threads.
 */
#define NAPI_VERSION 8
#include <libdeflate.h>
#include <node_api.h>
#include <stddef.h>

static void free_decompressor(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  libdeflate_free_decompressor(data);
}

static int bytes_of(napi_env env, napi_value value, uint8_t **data, size_t *length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, (void **)data, &buffer, &offset) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "gunzip: expected two Uint8Arrays");
    return 0;
  }
  return 1;
}

static napi_value gunzip(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  uint8_t *src, *dst;
  size_t src_length, dst_length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    napi_throw_type_error(env, NULL, "gunzip: expected two Uint8Arrays");
    return NULL;
  }
  if (!bytes_of(env, argv[0], &src, &src_length) || !bytes_of(env, argv[1], &dst, &dst_length)) return NULL;

  struct libdeflate_decompressor *decompressor = NULL;
  napi_get_instance_data(env, (void **)&decompressor);
  if (decompressor == NULL) {
    decompressor = libdeflate_alloc_decompressor();
    if (decompressor == NULL || napi_set_instance_data(env, decompressor, free_decompressor, NULL) != napi_ok) {
      napi_throw_error(env, NULL, "gunzip: out of memory");
      return NULL;
    }
  }

  size_t in = 0, out = 0;
  double result = 0;
  while (in < src_length) {
    size_t used = 0, written = 0;
    enum libdeflate_result status = libdeflate_gzip_decompress_ex(decompressor, src + in, src_length - in, dst + out, dst_length - out, &used, &written);
    if (status != LIBDEFLATE_SUCCESS) {
      result = status == LIBDEFLATE_INSUFFICIENT_SPACE ? -2 : -1;
      break;
    }
    in += used;
    out += written;
    result = (double)out;
  }
  napi_value value;
  napi_create_double(env, result, &value);
  return value;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_value function;
  napi_create_function(env, "gunzip", NAPI_AUTO_LENGTH, gunzip, NULL, &function);
  napi_set_named_property(env, exports, "gunzip", function);
  return exports;
}
