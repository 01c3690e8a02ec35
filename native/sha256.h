#ifndef DFREWRITE_SHA256_H
#define DFREWRITE_SHA256_H
#include <stddef.h>
#include <stdint.h>

/* The SHA-256 of data as 64 lowercase hex digits and a NUL. */
void sha256_hex(const uint8_t *data, size_t size, char hex[65]);

#endif
