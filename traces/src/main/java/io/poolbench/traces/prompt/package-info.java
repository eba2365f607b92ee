/**
 * Prompt text synthesis: text whose token count under a real BPE tokenizer (jtokkit's
 * cl100k_base or o200k_base) is exactly a trace's prompt length, in one of four content
 * categories, plus the chat-template overhead a chat endpoint adds.
 *
 * <p>How the count stays exact without re-tokenizing every prompt: text is a concatenation of
 * <em>pieces</em> drawn from a per-category pool that is tokenized once. Every piece starts and
 * ends at a place where the tokenizer's pre-tokenization regex always splits (a word boundary
 * before a space, a line end before the next line, a CJK punctuation mark before a clause), and
 * BPE never merges across pre-tokenization chunks, so the token count (and the token ids) of a
 * concatenation is the sum of its pieces'. The tests check this for piece pairs and for whole
 * prompts against the real tokenizer.
 */
package io.poolbench.traces.prompt;
