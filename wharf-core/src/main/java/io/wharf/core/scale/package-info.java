/** The rules of batch scale-out (claims 000.1–000.7) that need no I/O. */
@NullMarked
package io.wharf.core.scale;

import org.jspecify.annotations.NullMarked;
