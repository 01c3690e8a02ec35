/*
 * The embedded frontend's process: gives up root, makes stdout non-blocking, and runs the
 * frontend's bytecode (compiled by the qjsc of the same quickjs-ng tree, see native/build.sh) on
 * quickjs-ng's event loop.
 *
 * BuildKit starts a frontend as root whatever the image's USER says. Neither quickjs-ng's `os`
 * module nor its `std` can change ids, so this is done here, before any JavaScript runs:
 * DFREWRITE_USER=UID[:GID] (numeric;
 * default 65532:65532; 0, 0:0 or root keep root); supplementary groups, then gid, then uid. Where
 * the kernel refuses (ids not mapped in a rootless BuildKit's user namespace, no CAP_SETUID),
 * uid 0 is not the host's root: the process goes on. What was done is left in
 * DFREWRITE_PRIVILEGES for the frontend's log.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quickjs-libc.h"
#include "sha256.h"

extern const uint8_t dfrewrite_frontend[];
extern const uint32_t dfrewrite_frontend_size;

#define DEFAULT_USER "65532:65532"

/* A whole decimal id, or -1. */
static long parse_id(const char *text, const char **end) {
  long id = 0;
  const char *p = text;
  if (*p < '0' || *p > '9') return -1;
  for (; *p >= '0' && *p <= '9'; p++) {
    id = id * 10 + (*p - '0');
    if (id > 0xfffffffeL) return -1;
  }
  *end = p;
  return id;
}

/* 0 on success (the note says what was done), -1 on a setting or switch that must stop the run. */
static int drop_root(char *note, size_t size) {
  if (getuid() != 0) {
    snprintf(note, size, "not root");
    return 0;
  }
  const char *wanted = getenv("DFREWRITE_USER");
  while (wanted && (*wanted == ' ' || *wanted == '\t')) wanted++;
  if (!wanted || !*wanted) wanted = DEFAULT_USER;
  if (!strcmp(wanted, "0") || !strcmp(wanted, "root") || !strcmp(wanted, "0:0")) {
    snprintf(note, size, "kept root (DFREWRITE_USER)");
    return 0;
  }
  const char *end;
  long uid = parse_id(wanted, &end), gid = uid;
  if (uid >= 0 && *end == ':') gid = parse_id(end + 1, &end);
  while (uid >= 0 && gid >= 0 && (*end == ' ' || *end == '\t' || *end == '\n')) end++;
  if (uid < 0 || gid < 0 || *end) {
    fprintf(stderr, "dfrewrite: DFREWRITE_USER=%s: expected UID or UID:GID, numeric\n", wanted);
    return -1;
  }
  gid_t group = (gid_t)gid;
  if (setgroups(1, &group) != 0 || setgid(group) != 0 || setuid((uid_t)uid) != 0) {
    if (errno == EINVAL || errno == EPERM) {
      snprintf(note, size, "kept uid 0: switching to %ld:%ld failed (%s)", uid, gid,
               errno == EINVAL ? "EINVAL" : "EPERM");
      return 0;
    }
    fprintf(stderr, "dfrewrite: switching to %ld:%ld: %s\n", uid, gid, strerror(errno));
    return -1;
  }
  if (getuid() != (uid_t)uid || getgid() != group) {
    fprintf(stderr, "dfrewrite: could not switch to %ld:%ld\n", uid, gid);
    return -1;
  }
  snprintf(note, size, "running as %ld:%ld", uid, gid);
  return 0;
}

/* dfrewriteSha256(bytes: Uint8Array): string, the hex digest (src/frontend/gateway/sha256.ts). */
static JSValue js_sha256(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  size_t size;
  uint8_t *data = JS_GetUint8Array(ctx, &size, argv[0]);
  if (!data) return JS_EXCEPTION;
  char hex[65];
  sha256_hex(data, size, hex);
  return JS_NewString(ctx, hex);
}

static JSContext *new_context(JSRuntime *rt) {
  JSContext *ctx = JS_NewContext(rt);
  if (!ctx) return NULL;
  js_init_module_std(ctx, "qjs:std");
  js_init_module_os(ctx, "qjs:os");
  JSValue global = JS_GetGlobalObject(ctx);
  JS_SetPropertyStr(ctx, global, "dfrewriteSha256", JS_NewCFunction(ctx, js_sha256, "dfrewriteSha256", 1));
  JS_FreeValue(ctx, global);
  return ctx;
}

int main(int argc, char **argv) {
  char note[160];
  if (drop_root(note, sizeof note) != 0) return 1;
  setenv("DFREWRITE_PRIVILEGES", note, 1);
  /* A daemon gone mid-write is an error to report (EPIPE), not a silent death. */
  signal(SIGPIPE, SIG_IGN);
  /* stdout carries gRPC while the daemon may be sending too: never block on it (fd-writer.ts). */
  int flags = fcntl(STDOUT_FILENO, F_GETFL);
  if (flags == -1 || fcntl(STDOUT_FILENO, F_SETFL, flags | O_NONBLOCK) == -1) {
    perror("dfrewrite: fd 1");
    return 1;
  }

  JSRuntime *rt = JS_NewRuntime();
  if (!rt) return 1;
  js_std_set_worker_new_context_func(new_context);
  js_std_init_handlers(rt);
  JSContext *ctx = new_context(rt);
  if (!ctx) return 1;
  js_std_add_helpers(ctx, argc, argv);
  js_std_eval_binary(ctx, dfrewrite_frontend, dfrewrite_frontend_size, 0);
  int status = js_std_loop(ctx);
  if (status) js_std_dump_error(ctx);
  js_std_free_handlers(rt);
  JS_FreeContext(ctx);
  JS_FreeRuntime(rt);
  return status;
}
