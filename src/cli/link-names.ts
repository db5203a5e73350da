// libpcap 1.10's names for link types, as tcpdump prints them in "reading from file ..., link-type
// EN10MB (Ethernet)" and takes them after -y: pcap_datalink_val_to_name/_description over the DLT a
// file's LINKTYPE maps to (pcap-common.c linktype_to_dlt). Generated once from libpcap itself.

/** LINKTYPE values whose DLT differs (the rest are equal). */
const LINKTYPE_TO_DLT: ReadonlyMap<number, number> = new Map([
  [100, 11],
  [101, 12],
  [102, 15],
  [103, 16],
  [106, 19],
]);

/** DLT → name and description, one "DLT name description" line each. */
const TABLE = `0\tNULL\tBSD loopback
1\tEN10MB\tEthernet
6\tIEEE802\tToken ring
7\tARCNET\tBSD ARCNET
8\tSLIP\tSLIP
9\tPPP\tPPP
10\tFDDI\tFDDI
11\tATM_RFC1483\tRFC 1483 LLC-encapsulated ATM
12\tRAW\tRaw IP
15\tSLIP_BSDOS\tBSD/OS SLIP
16\tPPP_BSDOS\tBSD/OS PPP
19\tATM_CLIP\tLinux Classical IP over ATM
50\tPPP_SERIAL\tPPP over serial
51\tPPP_ETHER\tPPPoE
99\tSYMANTEC_FIREWALL\tSymantec Firewall
104\tC_HDLC\tCisco HDLC
105\tIEEE802_11\t802.11
107\tFRELAY\tFrame Relay
108\tLOOP\tOpenBSD loopback
109\tENC\tOpenBSD encapsulated IP
113\tLINUX_SLL\tLinux cooked v1
114\tLTALK\tLocaltalk
117\tPFLOG\tOpenBSD pflog file
119\tPRISM_HEADER\t802.11 plus Prism header
122\tIP_OVER_FC\tRFC 2625 IP-over-Fibre Channel
123\tSUNATM\tSun raw ATM
127\tIEEE802_11_RADIO\t802.11 plus radiotap header
129\tARCNET_LINUX\tLinux ARCNET
130\tJUNIPER_MLPPP\tJuniper Multi-Link PPP
131\tJUNIPER_MLFR\tJuniper Multi-Link Frame Relay
132\tJUNIPER_ES\tJuniper Encryption Services PIC
133\tJUNIPER_GGSN\tJuniper GGSN PIC
134\tJUNIPER_MFR\tJuniper FRF.16 Frame Relay
135\tJUNIPER_ATM2\tJuniper ATM2 PIC
136\tJUNIPER_SERVICES\tJuniper Advanced Services PIC
137\tJUNIPER_ATM1\tJuniper ATM1 PIC
138\tAPPLE_IP_OVER_IEEE1394\tApple IP-over-IEEE 1394
139\tMTP2_WITH_PHDR\tSS7 MTP2 with Pseudo-header
140\tMTP2\tSS7 MTP2
141\tMTP3\tSS7 MTP3
142\tSCCP\tSS7 SCCP
143\tDOCSIS\tDOCSIS
144\tLINUX_IRDA\tLinux IrDA
163\tIEEE802_11_RADIO_AVS\t802.11 plus AVS radio information header
164\tJUNIPER_MONITOR\tJuniper Passive Monitor PIC
165\tBACNET_MS_TP\tBACnet MS/TP
166\tPPP_PPPD\tPPP for pppd, with direction flag
167\tJUNIPER_PPPOE\tJuniper PPPoE
168\tJUNIPER_PPPOE_ATM\tJuniper PPPoE/ATM
169\tGPRS_LLC\tGPRS LLC
170\tGPF_T\tGPF-T
171\tGPF_F\tGPF-F
174\tJUNIPER_PIC_PEER\tJuniper PIC Peer
175\tERF_ETH\tEthernet with Endace ERF header
176\tERF_POS\tPacket-over-SONET with Endace ERF header
177\tLINUX_LAPD\tLinux vISDN LAPD
178\tJUNIPER_ETHER\tJuniper Ethernet
179\tJUNIPER_PPP\tJuniper PPP
180\tJUNIPER_FRELAY\tJuniper Frame Relay
181\tJUNIPER_CHDLC\tJuniper C-HDLC
182\tMFR\tFRF.16 Frame Relay
183\tJUNIPER_VP\tJuniper Voice PIC
184\tA429\tArinc 429
185\tA653_ICM\tArinc 653 Interpartition Communication
186\tUSB_FREEBSD\tUSB with FreeBSD header
187\tBLUETOOTH_HCI_H4\tBluetooth HCI UART transport layer
188\tIEEE802_16_MAC_CPS\tIEEE 802.16 MAC Common Part Sublayer
189\tUSB_LINUX\tUSB with Linux header
190\tCAN20B\tController Area Network (CAN) v. 2.0B
191\tIEEE802_15_4_LINUX\tIEEE 802.15.4 with Linux padding
192\tPPI\tPer-Packet Information
193\tIEEE802_16_MAC_CPS_RADIO\tIEEE 802.16 MAC Common Part Sublayer plus radiotap header
194\tJUNIPER_ISM\tJuniper Integrated Service Module
195\tIEEE802_15_4\tIEEE 802.15.4 with FCS
196\tSITA\tSITA pseudo-header
197\tERF\tEndace ERF header
198\tRAIF1\tEthernet with u10 Networks pseudo-header
199\tIPMB_KONTRON\tIPMB with Kontron pseudo-header
200\tJUNIPER_ST\tJuniper Secure Tunnel
201\tBLUETOOTH_HCI_H4_WITH_PHDR\tBluetooth HCI UART transport layer plus pseudo-header
202\tAX25_KISS\tAX.25 with KISS header
209\tIPMB_LINUX\tIPMB with Linux/Pigeon Point pseudo-header
215\tIEEE802_15_4_NONASK_PHY\tIEEE 802.15.4 with non-ASK PHY data
216\tLINUX_EVDEV\tLinux evdev events
219\tMPLS\tMPLS with label as link-layer header
220\tUSB_LINUX_MMAPPED\tUSB with padded Linux header
221\tDECT\tDECT
222\tAOS\tAOS Space Data Link protocol
223\tWIHART\tWireless HART
224\tFC_2\tFibre Channel FC-2
225\tFC_2_WITH_FRAME_DELIMS\tFibre Channel FC-2 with frame delimiters
226\tIPNET\tSolaris ipnet
227\tCAN_SOCKETCAN\tCAN-bus with SocketCAN headers
228\tIPV4\tRaw IPv4
229\tIPV6\tRaw IPv6
230\tIEEE802_15_4_NOFCS\tIEEE 802.15.4 without FCS
231\tDBUS\tD-Bus
232\tJUNIPER_VS\tJuniper Virtual Server
233\tJUNIPER_SRX_E2E\tJuniper SRX E2E
234\tJUNIPER_FIBRECHANNEL\tJuniper Fibre Channel
235\tDVB_CI\tDVB-CI
236\tMUX27010\tMUX27010
237\tSTANAG_5066_D_PDU\tSTANAG 5066 D_PDUs
238\tJUNIPER_ATM_CEMIC\tJuniper ATM CEMIC
239\tNFLOG\tLinux netfilter log messages
240\tNETANALYZER\tEthernet with Hilscher netANALYZER pseudo-header
241\tNETANALYZER_TRANSPARENT\tEthernet with Hilscher netANALYZER pseudo-header and with preamble and SFD
242\tIPOIB\tRFC 4391 IP-over-Infiniband
243\tMPEG_2_TS\tMPEG-2 transport stream
244\tNG40\tng40 protocol tester Iub/Iur
245\tNFC_LLCP\tNFC LLCP PDUs with pseudo-header
246\tPFSYNC\tPacket filter state syncing
247\tINFINIBAND\tInfiniBand
248\tSCTP\tSCTP
249\tUSBPCAP\tUSB with USBPcap header
250\tRTAC_SERIAL\tSchweitzer Engineering Laboratories RTAC packets
251\tBLUETOOTH_LE_LL\tBluetooth Low Energy air interface
253\tNETLINK\tLinux netlink
254\tBLUETOOTH_LINUX_MONITOR\tBluetooth Linux Monitor
255\tBLUETOOTH_BREDR_BB\tBluetooth Basic Rate/Enhanced Data Rate baseband packets
256\tBLUETOOTH_LE_LL_WITH_PHDR\tBluetooth Low Energy air interface with pseudo-header
257\tPROFIBUS_DL\tPROFIBUS data link layer
258\tPKTAP\tApple DLT_PKTAP
259\tEPON\tEthernet with 802.3 Clause 65 EPON preamble
260\tIPMI_HPM_2\tIPMI trace packets
261\tZWAVE_R1_R2\tZ-Wave RF profile R1 and R2 packets
262\tZWAVE_R3\tZ-Wave RF profile R3 packets
263\tWATTSTOPPER_DLM\tWattStopper Digital Lighting Management (DLM) and Legrand Nitoo Open protocol
264\tISO_14443\tISO 14443 messages
265\tRDS\tIEC 62106 Radio Data System groups
266\tUSB_DARWIN\tUSB with Darwin header
267\tOPENFLOW\tOpenBSD DLT_OPENFLOW
268\tSDLC\tIBM SDLC frames
269\tTI_LLN_SNIFFER\tTI LLN sniffer frames
271\tVSOCK\tLinux vsock
272\tNORDIC_BLE\tNordic Semiconductor Bluetooth LE sniffer frames
273\tDOCSIS31_XRA31\tExcentis XRA-31 DOCSIS 3.1 RF sniffer frames
274\tETHERNET_MPACKET\t802.3br mPackets
275\tDISPLAYPORT_AUX\tDisplayPort AUX channel monitoring data
276\tLINUX_SLL2\tLinux cooked v2
278\tOPENVIZSLA\tOpenVizsla USB
279\tEBHSCR\tElektrobit High Speed Capture and Replay (EBHSCR)
280\tVPP_DISPATCH\tVPP graph dispatch tracer
281\tDSA_TAG_BRCM\tBroadcom tag
282\tDSA_TAG_BRCM_PREPEND\tBroadcom tag (prepended)
283\tIEEE802_15_4_TAP\tIEEE 802.15.4 with pseudo-header
284\tDSA_TAG_DSA\tMarvell DSA
285\tDSA_TAG_EDSA\tMarvell EDSA
286\tELEE\tELEE lawful intercept packets
287\tZ_WAVE_SERIAL\tZ-Wave serial frames between host and chip
288\tUSB_2_0\tUSB 2.0/1.1/1.0 as transmitted over the cable
289\tATSC_ALP\tATSC Link-Layer Protocol packets`;

/** The table line of a DLT, found by search (parsing the whole table costs more than a run needs). */
function entry(dlt: number): readonly [string, string] | undefined {
  const key = `${dlt}\t`;
  const at = TABLE.startsWith(key) ? 0 : TABLE.indexOf(`\n${key}`) + 1;
  if (at === 0 && !TABLE.startsWith(key)) return undefined;
  const end = TABLE.indexOf('\n', at);
  const [, name, description] = TABLE.slice(at, end < 0 ? undefined : end).split('\t') as [
    string,
    string,
    string,
  ];
  return [name, description];
}

/** The DLT libpcap reports for a file's LINKTYPE (the link field's low 16 bits). */
export function linktypeToDlt(linktype: number): number {
  return LINKTYPE_TO_DLT.get(linktype) ?? linktype;
}

/** `EN10MB (Ethernet)` for a file's LINKTYPE, or the number when libpcap has no name for it. */
export function linkTypeText(linktype: number): string {
  const dlt = linktypeToDlt(linktype);
  const e = entry(dlt);
  return e ? `${e[0]} (${e[1]})` : String(dlt);
}

/** The DLT a -y name stands for (libpcap's names, any case), or undefined. */
export function dltByName(name: string): number | undefined {
  const upper = name.toUpperCase();
  for (const line of TABLE.split('\n')) {
    const [dlt, n] = line.split('\t') as [string, string];
    if (n.toUpperCase() === upper) return Number(dlt);
  }
  return undefined;
}

/** libpcap's name of a DLT (`EN10MB`), or undefined. */
export function dltName(dlt: number): string | undefined {
  return entry(dlt)?.[0];
}
