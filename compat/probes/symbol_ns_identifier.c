// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_SYMBOL_NS_IDENTIFIER
 *
 * v6.13, "module: Convert symbol namespace to string literal": before it,
 * EXPORT_SYMBOL_NS_GPL() and MODULE_IMPORT_NS() took a bare identifier
 * (IMS) and stringified it; since, they take a string ("IMS") and a bare
 * identifier no longer compiles.
 */
#include <linux/module.h>

MODULE_IMPORT_NS(CONFTEST);
MODULE_LICENSE("GPL");
