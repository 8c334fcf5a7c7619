/**
 * Guards in front of every HTTP context: a body size limit per context and path, JSON read with a depth limit and
 * without NUL characters, {@code null} or non-object bodies refused, ids bounded, the shape of DSP messages checked,
 * and exceptions that malformed input makes EDC's code throw answered as 4xx with a reason instead of a bare 500.
 */
package io.kakehashi.core.web.guard;
