// What the room page does with `ressincronizar` {apos_seq} (DESIGN §4).
//
// Normally apos_seq is where this stream resumed (the desde of its URL, or
// the browser's Last-Event-ID, never lower): the cache no longer covers
// what follows, so the page loads the gap over /chat/mensagens. A seq below
// the desde the stream was opened with means the room never had the seqs
// this page shows (a tab left open across a database reset): the page's
// messages are not the room's any more, so it reloads itself.

/**
 * apos: the event's apos_seq; desdeDoFluxo: the desde of the stream's URL;
 * seqConfirmado: every message up to it is on the page.
 * → { recarregar: true } or { lacunaApos: seq to load after }.
 */
export function acaoDeRessincronizar(apos, desdeDoFluxo, seqConfirmado) {
  if (apos < desdeDoFluxo) return { recarregar: true };
  return { lacunaApos: Math.min(apos, seqConfirmado) };
}
