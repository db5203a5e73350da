// Shared by the corpus summary test: which facts of a summary line must appear in tcpdump's line.

/**
 * The checkable facts of one of our summary lines: the protocol word, addresses (with ports), TCP
 * flags/seq/ack/win, ARP verbs, DNS ids/counts and every `length N`. Wording around them may differ.
 */
export function facts(line: string): string[] {
  const out: string[] = [];
  const first = /^(ARP|RARP|IP6|IP|STP)\b/.exec(line);
  if (first) out.push(first[1]);
  for (const m of line.matchAll(
    /(?:[0-9a-f]{1,4}:|::)[0-9a-f:.]*[0-9a-f]|\d+\.\d+\.\d+\.\d+(?:\.\d+)?/g,
  ))
    out.push(m[0]);
  for (const m of line.matchAll(
    /Flags \[[^\]]*\]|seq \d+(?::\d+)?|ack \d+|win \d+|length \d+|who-has|is-at|tell|\(\d+\)$|[0-9]+\/[0-9]+\/[0-9]+|echo (?:request|reply)|BOOTP\/DHCP|Request from|Reply|bridge-id [0-9a-f.:]+|Flags \[[A-Za-z, ]*\]|802\.1[dws]/g,
  ))
    out.push(m[0]);
  return out;
}

/** Facts of `ours` missing from `theirs`. */
export function missingFacts(ours: string, theirs: string): string[] {
  // Where tcpdump has an application printer (HSRP, ISAKMP, Babel, ...) and we say "UDP, length N",
  // it words or omits the UDP length its own way: that one fact is then not comparable.
  const appPrinted = /: UDP, length \d+$/.test(ours) && !theirs.includes('UDP');
  return facts(ours).filter((f) => !theirs.includes(f) && !(appPrinted && /^length \d+$/.test(f)));
}
