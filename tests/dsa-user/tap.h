/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP result lines for the test programs: "ok N - TAG: NAME" or "not ok N
 * - TAG: NAME: why". The plan is printed as a comment ("# 1..N"): the VM
 * test running the program declares the one plan of its boot, which
 * counts these lines too. tap_done() fails a run that printed another
 * number of results than planned.
 */
#ifndef DSA_USER_TAP_H
#define DSA_USER_TAP_H

#include <errno.h>
#include <string.h>

extern const char *tap_tag;

void tap_plan(unsigned int n);
void tap_result(int ok, const char *name, const char *fmt, ...);
/* The exit status: failures (and 1 for a count off the plan), at most 255. */
int tap_done(void);
unsigned int tap_failures(void);

#define CHECK(name, cond) tap_result(!!(cond), name, "%s is false", #cond)

#define CHECK_EQ(name, want, got) do {					\
	unsigned long long _w = (want), _g = (got);			\
	tap_result(_w == _g, name, "want %#llx, got %#llx", _w, _g);	\
} while (0)

/* @expr must be 0 (or more); else say errno. */
#define CHECK_OK(name, expr) do {					\
	long _r = (expr);						\
	tap_result(_r >= 0, name, "%s: %s", #expr, strerror(errno));	\
} while (0)

/* @expr must fail (-1, or MAP_FAILED) with errno @want. */
#define CHECK_ERRNO(name, want, expr) do {				\
	int _w = (want), _e;						\
	long _r;							\
	errno = 0;							\
	_r = (long)(expr);						\
	_e = errno;							\
	tap_result(_r == -1 && _e == _w, name,				\
		   "want -1 and %s, got %ld and %s", strerrorname(_w),	\
		   _r, _r == -1 ? strerrorname(_e) : "no error");	\
} while (0)

const char *strerrorname(int e);

#endif
