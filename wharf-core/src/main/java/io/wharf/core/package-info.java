/**
 * Wharf's shared vocabulary: the exceptions every layer raises and the REST layer maps to problem
 * responses, and small value parsers. Nothing here performs I/O.
 */
@NullMarked
package io.wharf.core;

import org.jspecify.annotations.NullMarked;
