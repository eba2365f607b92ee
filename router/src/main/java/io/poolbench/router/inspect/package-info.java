/**
 * Reading what routing needs from an OpenAI-compatible request: a streaming inspector over the raw
 * JSON body (prompt bytes, token-id counts, output caps, model, stream flag, a bounded text
 * sample; no tree is built) and the categorizer that names a request's content category from a
 * header or a cheap sniff of that sample.
 */
package io.poolbench.router.inspect;
