// IEEE 802.11 frames and the capture headers in front of them (radiotap, Prism, AVS), as tcpdump's
// print-802_11.c prints them without -v: the radio fields, then the frame's type and the little of its
// body tcpdump shows (SSID, rates, channel, reason and status codes), data frames through LLC.
import { printLlc } from './llc.js';
import { charText, type Printer, type Tok, tok2str } from './printer.js';

const ST_NAMES: Tok = new Map([
  [0x0, 'Assoc Request'],
  [0x1, 'Assoc Response'],
  [0x2, 'ReAssoc Request'],
  [0x3, 'ReAssoc Response'],
  [0x4, 'Probe Request'],
  [0x5, 'Probe Response'],
  [0x8, 'Beacon'],
  [0x9, 'ATIM'],
  [0xa, 'Disassociation'],
  [0xb, 'Authentication'],
  [0xc, 'DeAuthentication'],
  [0xd, 'Action'],
]);

const CTRL_NAMES: Tok = new Map([
  [0x7, 'Control Wrapper'],
  [0x8, 'BAR'],
  [0x9, 'BA'],
  [0xa, 'Power Save-Poll'],
  [0xb, 'Request-To-Send'],
  [0xc, 'Clear-To-Send'],
  [0xd, 'Acknowledgment'],
  [0xe, 'CF-End'],
  [0xf, 'CF-End+CF-Ack'],
]);

/** Header length of each control subtype (0: unknown, tcpdump stops). */
const CTRL_HDRLEN: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 20, 20, 10, 16, 16, 10, 10, 16, 16];

const T_MGMT = 0;
const T_CTRL = 1;
const T_DATA = 2;

const fcType = (fc: number) => (fc >> 2) & 3;
const fcSubtype = (fc: number) => (fc >> 4) & 0xf;
const TO_DS = 0x0100;
const FROM_DS = 0x0200;
const PROTECTED = 0x4000;

const HT_RATES: readonly (readonly number[])[] = [
  [6.5, 7.2, 13.5, 15.0],
  [13.0, 14.4, 27.0, 30.0],
  [19.5, 21.7, 40.5, 45.0],
  [26.0, 28.9, 54.0, 60.0],
  [39.0, 43.3, 81.0, 90.0],
  [52.0, 57.8, 108.0, 120.0],
  [58.5, 65.0, 121.5, 135.0],
  [65.0, 72.2, 135.0, 150.0],
  [13.0, 14.4, 27.0, 30.0],
  [26.0, 28.9, 54.0, 60.0],
  [39.0, 43.3, 81.0, 90.0],
  [52.0, 57.8, 108.0, 120.0],
  [78.0, 86.7, 162.0, 180.0],
  [104.0, 115.6, 216.0, 240.0],
  [117.0, 130.0, 243.0, 270.0],
  [130.0, 144.4, 270.0, 300.0],
  [19.5, 21.7, 40.5, 45.0],
  [39.0, 43.3, 81.0, 90.0],
  [58.5, 65.0, 121.5, 135.0],
  [78.0, 86.7, 162.0, 180.0],
  [117.0, 130.0, 243.0, 270.0],
  [156.0, 173.3, 324.0, 360.0],
  [175.5, 195.0, 364.5, 405.0],
  [195.0, 216.7, 405.0, 450.0],
  [26.0, 28.9, 54.0, 60.0],
  [52.0, 57.8, 108.0, 120.0],
  [78.0, 86.7, 162.0, 180.0],
  [104.0, 115.6, 216.0, 240.0],
  [156.0, 173.3, 324.0, 360.0],
  [208.0, 231.1, 432.0, 480.0],
  [234.0, 260.0, 486.0, 540.0],
  [260.0, 288.9, 540.0, 600.0],
  [0.0, 0.0, 6.0, 6.7],
  [39.0, 43.3, 81.0, 90.0],
  [52.0, 57.8, 108.0, 120.0],
  [65.0, 72.2, 135.0, 150.0],
  [58.5, 65.0, 121.5, 135.0],
  [78.0, 86.7, 162.0, 180.0],
  [97.5, 108.3, 202.5, 225.0],
  [52.0, 57.8, 108.0, 120.0],
  [65.0, 72.2, 135.0, 150.0],
  [65.0, 72.2, 135.0, 150.0],
  [78.0, 86.7, 162.0, 180.0],
  [91.0, 101.1, 189.0, 210.0],
  [91.0, 101.1, 189.0, 210.0],
  [104.0, 115.6, 216.0, 240.0],
  [78.0, 86.7, 162.0, 180.0],
  [97.5, 108.3, 202.5, 225.0],
  [97.5, 108.3, 202.5, 225.0],
  [117.0, 130.0, 243.0, 270.0],
  [136.5, 151.7, 283.5, 315.0],
  [136.5, 151.7, 283.5, 315.0],
  [156.0, 173.3, 324.0, 360.0],
  [65.0, 72.2, 135.0, 150.0],
  [78.0, 86.7, 162.0, 180.0],
  [91.0, 101.1, 189.0, 210.0],
  [78.0, 86.7, 162.0, 180.0],
  [91.0, 101.1, 189.0, 210.0],
  [104.0, 115.6, 216.0, 240.0],
  [117.0, 130.0, 243.0, 270.0],
  [104.0, 115.6, 216.0, 240.0],
  [117.0, 130.0, 243.0, 270.0],
  [130.0, 144.4, 270.0, 300.0],
  [130.0, 144.4, 270.0, 300.0],
  [143.0, 158.9, 297.0, 330.0],
  [97.5, 108.3, 202.5, 225.0],
  [117.0, 130.0, 243.0, 270.0],
  [136.5, 151.7, 283.5, 315.0],
  [117.0, 130.0, 243.0, 270.0],
  [136.5, 151.7, 283.5, 315.0],
  [156.0, 173.3, 324.0, 360.0],
  [175.5, 195.0, 364.5, 405.0],
  [156.0, 173.3, 324.0, 360.0],
  [175.5, 195.0, 364.5, 405.0],
  [195.0, 216.7, 405.0, 450.0],
  [195.0, 216.7, 405.0, 450.0],
  [214.5, 238.3, 445.5, 495.0],
];

const AUTH_ALG_TEXT = ['Open System', 'Shared Key', 'EAP'];

const STATUS_TEXT = [
  'Successful',
  'Unspecified failure',
  'TDLS wakeup schedule rejected but alternative schedule provided',
  'TDLS wakeup schedule rejected',
  'Reserved',
  'Security disabled',
  'Unacceptable lifetime',
  'Not in same BSS',
  'Reserved',
  'Reserved',
  'Cannot Support all requested capabilities in the Capability Information field',
  'Reassociation denied due to inability to confirm that association exists',
  'Association denied due to reason outside the scope of this standard',
  'Responding STA does not support the specified authentication algorithm',
  'Received an Authentication frame with authentication transaction sequence number out of expected sequence',
  'Authentication rejected because of challenge failure',
  'Authentication rejected due to timeout waiting for next frame in sequence',
  'Association denied because AP is unable to handle additional associated STAs',
  'Association denied due to requesting STA not supporting all of the data rates in the BSSBasicRateSet parameter, the Basic HT-MCS Set field of the HT Operation parameter, or the Basic VHT-MCS and NSS Set field in the VHT Operation parameter',
  'Association denied due to requesting STA not supporting the short preamble option',
  'Reserved',
  'Reserved',
  'Association request rejected because Spectrum Management capability is required',
  'Association request rejected because the information in the Power Capability element is unacceptable',
  'Association request rejected because the information in the Supported Channels element is unacceptable',
  'Association denied due to requesting STA not supporting the Short Slot Time option',
  'Reserved',
  'Association denied because the requested STA does not support HT features',
  'R0KH unreachable',
  'Association denied because the requesting STA does not support the phased coexistence operation (PCO) transition time required by the AP',
  'Association request rejected temporarily; try again later',
  'Robust management frame policy violation',
  'Unspecified, QoS-related failure',
  'Association denied because QoS AP or PCP has insufficient bandwidth to handle another QoS STA',
  'Association denied due to excessive frame loss rates and/or poor conditions on current operating channel',
  'Association (with QoS BSS) denied because the requesting STA does not support the QoS facility',
  'Reserved',
  'The request has been declined',
  'The request has not been successful as one or more parameters have invalid values',
  'The allocation or TS has not been created because the request cannot be honored; however, a suggested TSPEC/DMG TSPEC is provided so that the initiating STA can attempt to set another allocation or TS with the suggested changes to the TSPEC/DMG TSPEC',
  'Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9',
  'Invalid group cipher',
  'Invalid pairwise cipher',
  'Invalid AKMP',
  'Unsupported RSNE version',
  'Invalid RSNE capabilities',
  'Cipher suite rejected because of security policy',
  'The TS or allocation has not been created; however, the HC or PCP might be capable of creating a TS or allocation, in response to a request, after the time indicated in the TS Delay element',
  'Direct Link is not allowed in the BSS by policy',
  'The Destination STA is not present within this BSS',
  'The Destination STA is not a QoS STA',
  'Association denied because the listen interval is too large',
  'Invalid FT Action frame count',
  'Invalid pairwise master key identifier (PMKID)',
  'Invalid MDE',
  'Invalid FTE',
  'Requested TCLAS processing is not supported by the AP or PCP',
  'The AP or PCP has insufficient TCLAS processing resources to satisfy the request',
  'The TS has not been created because the request cannot be honored; however, the HC or PCP suggests that the STA transition to a different BSS to set up the TS',
  'GAS Advertisement Protocol not supported',
  'No outstanding GAS request',
  'GAS Response not received from the Advertisement Server',
  'STA timed out waiting for GAS Query Response',
  'LARGE GAS Response is larger than query response length limit',
  'Request refused because home network does not support request',
  'Advertisement Server in the network is not currently reachable',
  'Reserved',
  'Request refused due to permissions received via SSPN interface',
  'Request refused because the AP or PCP does not support unauthenticated access',
  'Reserved',
  'Reserved',
  'Reserved',
  'Invalid contents of RSNE',
  'U-APSD coexistence is not supported',
  'Requested U-APSD coexistence mode is not supported',
  'Requested Interval/Duration value cannot be supported with U-APSD coexistence',
  'Authentication is rejected because an Anti-Clogging Token is required',
  'Authentication is rejected because the offered finite cyclic group is not supported',
  'The TBTT adjustment request has not been successful because the STA could not find an alternative TBTT',
  'Transmission failure',
  'Requested TCLAS Not Supported',
  'TCLAS Resources Exhausted',
  'Rejected with Suggested BSS transition',
  'Reject with recommended schedule',
  'Reject because no wakeup schedule specified',
  'Success, the destination STA is in power save mode',
  'FST pending, in process of admitting FST session',
  'Performing FST now',
  'FST pending, gap(s) in block ack window',
  'Reject because of U-PID setting',
  'Reserved',
  'Reserved',
  '(Re)Association refused for some external reason',
  '(Re)Association refused because of memory limits at the AP',
  '(Re)Association refused because emergency services are not supported at the AP',
  'GAS query response not yet received',
  'Reject since the request is for transition to a frequency band subject to DSE procedures and FST Initiator is a dependent STA',
  'Requested TCLAS processing has been terminated by the AP',
  'The TS schedule conflicts with an existing schedule; an alternative schedule is provided',
  'The association has been denied; however, one or more Multi-band elements are included that can be used by the receiving STA to join the BSS',
  'The request failed due to a reservation conflict',
  'The request failed due to exceeded MAF limit',
  'The request failed due to exceeded MCCA track limit',
  'Association denied because the information in theSpectrum Management field is unacceptable',
  'Association denied because the requesting STA does not support VHT features',
  'Enablement denied',
  'Enablement denied due to restriction from an authorized GDB',
  'Authorization deenabled',
];

const REASON_TEXT = [
  'Reserved',
  'Unspecified reason',
  'Previous authentication no longer valid',
  'Deauthenticated because sending STA is leaving (or has left) IBSS or ESS',
  'Disassociated due to inactivity',
  'Disassociated because AP is unable to handle all currently  associated STAs',
  'Class 2 frame received from nonauthenticated STA',
  'Class 3 frame received from nonassociated STA',
  'Disassociated because sending STA is leaving (or has left) BSS',
  'STA requesting (re)association is not authenticated with responding STA',
  'Disassociated because the information in the Power Capability element is unacceptable',
  'Disassociated because the information in the Supported Channels element is unacceptable',
  'Disassociated due to BSS transition management',
  'Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9',
  'Message integrity code (MIC) failure',
  '4-Way Handshake timeout',
  'Group key handshake timeout',
  'Information element in 4-Way Handshake different from (Re)AssociationRequest/Probe Response/Beacon frame',
  'Invalid group cipher',
  'Invalid pairwise cipher',
  'Invalid AKMP',
  'Unsupported RSNE version',
  'Invalid RSNE capabilities',
  'IEEE 802.1X authentication failed',
  'Cipher suite rejected because of the security policy',
  'TDLS direct-link teardown due to TDLS peer STA unreachable via the TDLS direct link',
  'TDLS direct-link teardown for unspecified reason',
  'Disassociated because session terminated by SSP request',
  'Disassociated because of lack of SSP roaming agreement',
  'Requested service rejected because of SSP cipher suite or AKM requirement',
  'Requested service not authorized in this location',
  'TS deleted because QoS AP lacks sufficient bandwidth for this QoS STA due to a change in BSS service characteristics or operational mode (e.g. an HT BSS change from 40 MHz channel to 20 MHz channel)',
  'Disassociated for unspecified, QoS-related reason',
  'Disassociated because QoS AP lacks sufficient bandwidth for this QoS STA',
  'Disassociated because of excessive number of frames that need to be acknowledged, but are not acknowledged due to AP transmissions and/or poor channel conditions',
  'Disassociated because STA is transmitting outside the limits of its TXOPs',
  'Requested from peer STA as the STA is leaving the BSS (or resetting)',
  'Requested from peer STA as it does not want to use the mechanism',
  'Requested from peer STA as the STA received frames using the mechanism for which a set up is required',
  'Requested from peer STA due to time out',
  'Reserved',
  'Reserved',
  'Reserved',
  'Reserved',
  'Reserved',
  'Peer STA does not support the requested cipher suite',
  'In a DLS Teardown frame: The teardown was initiated by the DLS peer. In a Disassociation frame: Disassociated because authorized access limit reached',
  'In a DLS Teardown frame: The teardown was initiated by the AP. In a Disassociation frame: Disassociated due to external service requirements',
  'Invalid FT Action frame count',
  'Invalid pairwise master key identifier (PMKID)',
  'Invalid MDE',
  'Invalid FTE',
  'Mesh peering canceled for unknown reasons',
  'The mesh STA has reached the supported maximum number of peer mesh STAs',
  'The received information violates the Mesh Configuration policy configured in the mesh STA profile',
  'The mesh STA has received a Mesh Peering Close frame requesting to close the mesh peering',
  'The mesh STA has resent dot11MeshMaxRetries Mesh Peering Open frames, without receiving a Mesh Peering Confirm frame',
  'The confirmTimer for the mesh peering instance times out',
  'The mesh STA fails to unwrap the GTK or the values in the wrapped contents do not match',
  'The mesh STA receives inconsistent information about the mesh parameters between mesh peering Management frames',
  'The mesh STA fails the authenticated mesh peering exchange because due to failure in selecting either the pairwise ciphersuite or group ciphersuite',
  'The mesh STA does not have proxy information for this external destination',
  'The mesh STA does not have forwarding information for this destination',
  'The mesh STA determines that the link to the next hop of an active path in its forwarding information is no longer usable',
  'The Deauthentication frame was sent because the MAC address of the STA already exists in the mesh BSS',
  'The mesh STA performs channel switch to meet regulatory requirements',
  'The mesh STA performs channel switching with unspecified reason',
];

interface Body {
  capability: number;
  ssid?: number[];
  rates?: number[];
  dsChannel?: number;
}

/** wep_print: false when the IV is cut off. */
function printWep(p: Printer, o: number): boolean {
  if (!p.has(o, 4)) return false;
  const iv = p.le32(o);
  p.print(
    ` IV:${(iv & 0xffffff).toString(16).padStart(3)} Pad ${((iv >>> 24) & 0x3f).toString(16)} KeyID ${((iv >>> 30) & 3).toString(16)}`,
  );
  return true;
}

/** parse_elements: the first SSID, rates and DS elements; false when an element is cut off or too long. */
function parseElements(p: Printer, body: Body, o: number, length0: number): boolean {
  let length = length0;
  let off = o;
  while (length !== 0) {
    if (!p.has(off, 2) || length < 2) return false;
    const elen = p.u8(off + 1);
    if (!p.has(off + 2, elen) || length < elen + 2) return false;
    const id = p.u8(off);
    off += 2;
    length -= 2;
    switch (id) {
      case 0: // SSID
        if (elen > 32) return false;
        if (!body.ssid) {
          const s: number[] = [];
          for (let i = 0; i < elen; i++) s.push(p.u8(off + i));
          body.ssid = s;
        }
        break;
      case 16: // challenge text
        if (elen > 253) return false;
        break;
      case 1: // rates
        if (elen > 16) return false;
        if (!body.rates && elen !== 0) {
          const r: number[] = [];
          for (let i = 0; i < elen; i++) r.push(p.u8(off + i));
          body.rates = r;
        }
        break;
      case 3: // DS parameter set
        if (elen === 1 && body.dsChannel === undefined) body.dsChannel = p.u8(off);
        break;
      case 5: // TIM
        if (elen > 3 && elen - 3 > 251) return false;
        break;
    }
    off += elen;
    length -= elen;
  }
  return true;
}

function printSsid(p: Printer, body: Body): void {
  if (!body.ssid) return;
  let s = '';
  for (const c of body.ssid) {
    if (c === 0) break;
    s += charText(c);
  }
  p.print(` (${s})`);
}

function printRates(p: Printer, body: Body): void {
  if (!body.rates) return;
  let sep = ' [';
  for (const r of body.rates) {
    p.print(`${sep}${(0.5 * (r & 0x7f)).toFixed(1)}${r & 0x80 ? '*' : ''}`);
    sep = ' ';
  }
  p.print(' Mbit]');
}

function printDsChannel(p: Printer, body: Body): void {
  if (body.dsChannel !== undefined) p.print(` CH: ${body.dsChannel}`);
  if (body.capability & 0x10) p.print(', PRIVACY');
}

const statusText = (v: number) => (v < STATUS_TEXT.length ? STATUS_TEXT[v] : 'n/a');
const reasonText = (v: number) => (v < REASON_TEXT.length ? REASON_TEXT[v] : 'Reserved');

/** Beacon and Probe Response: timestamp, interval, capabilities, elements. */
function handleBeacon(p: Printer, o: number, length: number, beacon: boolean): boolean {
  if (!p.has(o, 12) || length < 12) return false;
  const body: Body = { capability: p.le16(o + 10) };
  const ret = parseElements(p, body, o + 12, length - 12);
  printSsid(p, body);
  printRates(p, body);
  if (beacon) p.print(body.capability & 1 ? ' ESS' : ' IBSS');
  printDsChannel(p, body);
  return ret;
}

function handleAssocResponse(p: Printer, o: number, length: number): boolean {
  if (!p.has(o, 6) || length < 6) return false;
  const body: Body = { capability: p.le16(o) };
  const status = p.le16(o + 2);
  const aid = p.le16(o + 4);
  const ret = parseElements(p, body, o + 6, length - 6);
  p.print(
    ` AID(${(aid & 0x3fff).toString(16)}) :${body.capability & 0x10 ? ' PRIVACY ' : ''}: ${statusText(status)}`,
  );
  return ret;
}

function handleAuth(p: Printer, o: number, length: number): boolean {
  if (!p.has(o, 6) || length < 6) return false;
  const alg = p.le16(o);
  const seq = p.le16(o + 2);
  const status = p.le16(o + 4);
  const ret = parseElements(p, { capability: 0 }, o + 6, length - 6);
  const algText = alg < AUTH_ALG_TEXT.length ? AUTH_ALG_TEXT[alg] : 'Reserved';
  const statusPart = seq % 2 ? statusText(status) : '';
  if (alg === 1 && (seq === 2 || seq === 3))
    p.print(` (${algText})-${seq.toString(16)} [Challenge Text] ${statusPart}`);
  else p.print(` (${algText})-${seq.toString(16)}: ${statusPart}`);
  return ret;
}

function actionName(cat: number, act: number): string {
  const pick = (names: readonly string[], first = 0) =>
    act >= first && act - first < names.length ? names[act - first] : `Act#${act}`;
  switch (cat) {
    case 0:
      return `Spectrum Management Act#${act}`;
    case 1:
      return `QoS Act#${act}`;
    case 2:
      return `DLS Act#${act}`;
    case 3:
      return `BA ${pick(['ADDBA Request', 'ADDBA Response', 'DELBA'])}`;
    case 7:
      return `HT ${pick(['TxChWidth', 'MIMOPwrSave'])}`;
    case 13:
      return `MeshAction ${pick([
        'MeshLink',
        'HWMP',
        'Gate Announcement',
        'Congestion Control',
        'MCCA Setup Request',
        'MCCA Setup Reply',
        'MCCA Advertisement Request',
        'MCCA Advertisement',
        'MCCA Teardown',
        'TBTT Adjustment Request',
        'TBTT Adjustment Response',
      ])}`;
    case 14:
      return `MultiohopAction ${pick(['Proxy Update', 'Proxy Update Confirmation'])}`;
    case 15:
      return `SelfprotectAction ${pick(
        [
          'Peering Open',
          'Peering Confirm',
          'Peering Close',
          'Group Key Inform',
          'Group Key Acknowledge',
        ],
        1,
      )}`;
    case 127:
      return `Vendor Act#${act}`;
    default:
      return `Reserved(${cat}) Act#${act}`;
  }
}

/** mgmt_body_print: false when tcpdump ends the line with its truncation marker. */
function printMgmtBody(p: Printer, fc: number, src: number, o: number, length: number): boolean {
  const st = fcSubtype(fc);
  p.print(tok2str(ST_NAMES, 'Unhandled Management subtype(%x)', st));
  if (fc & PROTECTED) return printWep(p, o);
  switch (st) {
    case 0x0: // assoc request
    case 0x2: {
      // reassoc request
      const fixed = st === 0 ? 4 : 10;
      if (!p.has(o, fixed) || length < fixed) return false;
      const body: Body = { capability: p.le16(o) };
      const ret = parseElements(p, body, o + fixed, length - fixed);
      printSsid(p, body);
      if (st === 0) printRates(p, body);
      else p.print(` AP : ${p.mac(o + 4)}`);
      return ret;
    }
    case 0x1:
    case 0x3:
      return handleAssocResponse(p, o, length);
    case 0x4: {
      const body: Body = { capability: 0 };
      const ret = parseElements(p, body, o, length);
      printSsid(p, body);
      printRates(p, body);
      return ret;
    }
    case 0x5:
      return handleBeacon(p, o, length, false);
    case 0x8:
      return handleBeacon(p, o, length, true);
    case 0xa:
      if (!p.has(o, 2) || length < 2) return false;
      p.print(`: ${reasonText(p.le16(o))}`);
      return true;
    case 0xb:
      return handleAuth(p, o, length);
    case 0xc: {
      if (!p.has(o, 2) || length < 2) return false;
      const reason = reasonText(p.le16(o));
      if (p.eflag) p.print(`: ${reason}`);
      else p.print(` (${p.mac(src)}): ${reason}`);
      return true;
    }
    case 0xd:
      if (!p.has(o, 2) || length < 2) return false;
      p.print(p.eflag ? ': ' : ` (${p.mac(src)}): `);
      p.print(actionName(p.u8(o), p.u8(o + 1)));
      return true;
    default:
      return true;
  }
}

/** ctrl_body_print; `o` is the start of the frame. */
function printCtrlBody(p: Printer, fc: number, o: number): void {
  const st = fcSubtype(fc);
  p.print(tok2str(CTRL_NAMES, 'Unknown Ctrl Subtype', st));
  switch (st) {
    case 0x8:
      if (!p.eflag)
        p.print(
          ` RA:${p.mac(o + 4)} TA:${p.mac(o + 10)} CTL(${p.le16(o + 16).toString(16)}) SEQ(${p.le16(o + 18)}) `,
        );
      break;
    case 0xa:
      p.print(` AID(${p.le16(o + 2).toString(16)})`);
      break;
    case 0xb:
      if (!p.eflag) p.print(` TA:${p.mac(o + 10)} `);
      break;
    case 0x9:
    case 0xc:
    case 0xd:
    case 0xe:
    case 0xf:
      if (!p.eflag) p.print(` RA:${p.mac(o + 4)} `);
      break;
  }
}

/** ieee_802_11_hdr_print without -v: the addresses, for -e. */
function printHeader(p: Printer, fc: number, o: number): void {
  switch (fcType(fc)) {
    case T_MGMT:
      p.print(`BSSID:${p.mac(o + 16)} DA:${p.mac(o + 4)} SA:${p.mac(o + 10)} `);
      break;
    case T_CTRL:
      switch (fcSubtype(fc)) {
        case 0x8:
          p.print(
            ` RA:${p.mac(o + 4)} TA:${p.mac(o + 10)} CTL(${p.le16(o + 16).toString(16)}) SEQ(${p.le16(o + 18)}) `,
          );
          break;
        case 0x9:
        case 0xc:
        case 0xd:
          p.print(`RA:${p.mac(o + 4)} `);
          break;
        case 0xa:
          p.print(`BSSID:${p.mac(o + 4)} TA:${p.mac(o + 10)} `);
          break;
        case 0xb:
          p.print(`RA:${p.mac(o + 4)} TA:${p.mac(o + 10)} `);
          break;
        case 0xe:
        case 0xf:
          p.print(`RA:${p.mac(o + 4)} BSSID:${p.mac(o + 10)} `);
          break;
      }
      break;
    case T_DATA: {
      const st = fcSubtype(fc);
      if (st & 0xb) {
        p.print('CF ');
        if (st & 1) p.print(st & 2 ? 'Ack/Poll' : 'Ack');
        else if (st & 2) p.print('Poll');
        if (st & 8) p.print('+QoS');
        p.print(' ');
      }
      const a1 = p.mac(o + 4);
      const a2 = p.mac(o + 10);
      const a3 = p.mac(o + 16);
      switch (fc & (TO_DS | FROM_DS)) {
        case 0:
          p.print(`DA:${a1} SA:${a2} BSSID:${a3} `);
          break;
        case FROM_DS:
          p.print(`DA:${a1} BSSID:${a2} SA:${a3} `);
          break;
        case TO_DS:
          p.print(`BSSID:${a1} SA:${a2} DA:${a3} `);
          break;
        default:
          p.print(`RA:${a1} TA:${a2} DA:${a3} SA:${p.mac(o + 24)} `);
      }
      break;
    }
  }
}

/**
 * ieee802_11_print: an 802.11 frame at `o`; `pad` for Atheros padding after the header, `fcslen` 4
 * when the frame ends in its FCS. Returns the header length.
 */
export function print80211(
  p: Printer,
  o: number,
  length0: number,
  origCaplen: number,
  pad: boolean,
  fcslen0: number,
): number {
  p.protocol = '802.11';
  let caplen = origCaplen;
  let length = length0;
  if (length < fcslen0) {
    p.trunc();
    return caplen;
  }
  length -= fcslen0;
  if (caplen > length) {
    const fcslen = caplen - length;
    caplen -= fcslen;
    p.snapend -= fcslen;
  }
  if (caplen < 2) {
    p.trunc();
    return origCaplen;
  }
  const fc = p.le16(o);
  let hdrlen: number;
  switch (fcType(fc)) {
    case T_MGMT:
      hdrlen = 24;
      break;
    case T_CTRL:
      hdrlen = CTRL_HDRLEN[fcSubtype(fc)];
      if (hdrlen === 0) {
        p.print(`unknown 802.11 ctrl frame subtype (${fcSubtype(fc)})`);
        return 0;
      }
      break;
    case T_DATA:
      hdrlen = (fc & (TO_DS | FROM_DS)) === (TO_DS | FROM_DS) ? 30 : 24;
      if (fcSubtype(fc) & 8) hdrlen += 2;
      break;
    default:
      p.print(`unknown 802.11 frame type (${fcType(fc)})`);
      return 0;
  }
  if (pad) hdrlen = (hdrlen + 3) & ~3;
  if (caplen < hdrlen) {
    p.trunc();
    return hdrlen;
  }
  if (p.eflag) printHeader(p, fc, o);
  length -= hdrlen;
  caplen -= hdrlen;
  const q = o + hdrlen;
  switch (fcType(fc)) {
    case T_MGMT:
      if (!printMgmtBody(p, fc, o + 10, q, length)) {
        p.trunc();
        return hdrlen;
      }
      break;
    case T_CTRL:
      printCtrlBody(p, fc, o);
      break;
    case T_DATA: {
      if (fcSubtype(fc) & 4) return hdrlen; // no data
      if (fc & PROTECTED) {
        p.print('Data');
        if (!printWep(p, q)) {
          p.trunc();
          return hdrlen;
        }
        break;
      }
      // Source and destination by the DS bits (addresses 1-4 at 4, 10, 16, 24).
      let src: number;
      let dst: number;
      switch (fc & (TO_DS | FROM_DS)) {
        case 0:
          src = o + 10;
          dst = o + 4;
          break;
        case FROM_DS:
          src = o + 16;
          dst = o + 4;
          break;
        case TO_DS:
          src = o + 10;
          dst = o + 16;
          break;
        default:
          src = o + 24;
          dst = o + 16;
      }
      let llcLen = printLlc(p, q, length, caplen, { src, dst });
      if (llcLen < 0) {
        p.defaultPrint(q, caplen);
        llcLen = -llcLen;
      }
      hdrlen += llcLen;
      break;
    }
  }
  return hdrlen;
}

/** A cursor over the radiotap header, aligning each field to its size (tcpdump's cpack). */
class Cpack {
  next: number;
  constructor(
    readonly buf: number,
    readonly len: number,
  ) {
    this.next = buf;
  }
  /** The aligned offset of a `size`-byte field, or -1 past the header's end. */
  reserve(size: number): number {
    const mis = (this.next - this.buf) % size;
    const at = mis === 0 ? this.next : this.next + size - mis;
    return at - this.buf + size > this.len ? -1 : at;
  }
  advance(n: number): boolean {
    if (this.next - this.buf + n > this.len) return false;
    this.next += n;
    return true;
  }
}

const HT_BANDWIDTH = ['20 MHz', '40 MHz', '20 MHz (L)', '20 MHz (U)'];
const VHT_BANDWIDTH = [
  '20 MHz',
  '40 MHz',
  '20 MHz (L)',
  '20 MHz (U)',
  '80 MHz',
  '80 MHz (L)',
  '80 MHz (U)',
  '80 MHz (LL)',
  '80 MHz (LU)',
  '80 MHz (UL)',
  '80 MHz (UU)',
  '160 MHz',
  '160 MHz (L)',
  '160 MHz (U)',
  '160 MHz (LL)',
  '160 MHz (LU)',
  '160 MHz (UL)',
  '160 MHz (UU)',
  '160 MHz (LLL)',
  '160 MHz (LLU)',
  '160 MHz (LUL)',
  '160 MHz (UUU)',
  '160 MHz (ULL)',
  '160 MHz (ULU)',
  '160 MHz (UUL)',
  '160 MHz (UUU)',
  'unknown (26)',
  'unknown (27)',
  'unknown (28)',
  'unknown (29)',
  'unknown (30)',
  'unknown (31)',
];

const MCS_PRESENT = 1 << 19;
const XCHANNEL_PRESENT = 1 << 18;

function printChanInfo(p: Printer, freq: number, flags: number, present: number): void {
  p.print(`${freq} MHz`);
  if (present & MCS_PRESENT) p.print(' 11n');
  else {
    if ((flags & 0x880) === 0x880) p.print(' FHSS');
    if ((flags & 0x140) === 0x140)
      p.print(flags & 0x4000 ? ' 11a/10Mhz' : flags & 0x8000 ? ' 11a/5Mhz' : ' 11a');
    if ((flags & 0xc0) === 0xc0 || (flags & 0x480) === 0x480)
      p.print(flags & 0x4000 ? ' 11g/10Mhz' : flags & 0x8000 ? ' 11g/5Mhz' : ' 11g');
    else if ((flags & 0xa0) === 0xa0) p.print(' 11b');
    if (flags & 0x10) p.print(' Turbo');
  }
  if (flags & 0x10000) p.print(' ht/20');
  else if (flags & 0x40000) p.print(' ht/40-');
  else if (flags & 0x20000) p.print(' ht/40+');
  p.print(' ');
}

const s8 = (v: number) => (v << 24) >> 24;

/**
 * print_radiotap_field: false when tcpdump stops reading the radiotap header (a field cut off, after
 * its marker, or one whose size it does not know).
 */
function printRadiotapField(
  p: Printer,
  s: Cpack,
  bit: number,
  state: { flags: number },
  present: number,
): boolean {
  const u8 = (): number => {
    if (s.next - s.buf >= s.len) throw RT_TRUNC;
    return p.u8(s.next++);
  };
  const u16 = (): number => {
    const at = s.reserve(2);
    if (at < 0) throw RT_TRUNC;
    s.next = at + 2;
    return p.le16(at);
  };
  const u32 = (): number => {
    const at = s.reserve(4);
    if (at < 0) throw RT_TRUNC;
    s.next = at + 4;
    return p.le32(at);
  };
  try {
    switch (bit) {
      case 0: {
        const at = s.reserve(8);
        if (at < 0) throw RT_TRUNC;
        s.next = at + 8;
        const v = (BigInt(p.le32(at + 4)) << 32n) | BigInt(p.le32(at));
        p.print(`${v}us tsft `);
        break;
      }
      case 1: {
        const f = u8();
        state.flags = f;
        if (f & 0x01) p.print('cfp ');
        if (f & 0x02) p.print('short preamble ');
        if (f & 0x04) p.print('wep ');
        if (f & 0x08) p.print('fragmented ');
        if (f & 0x40) p.print('bad-fcs ');
        break;
      }
      case 2: {
        const rate = u8();
        if (rate >= 0x80 && rate <= 0x8f) p.print(`MCS ${rate & 0x7f} `);
        else p.print(`${(0.5 * rate).toFixed(1)} Mb/s `);
        break;
      }
      case 3: {
        const freq = u16();
        const flags = u16();
        if (!(present & XCHANNEL_PRESENT)) printChanInfo(p, freq, flags, present);
        break;
      }
      case 4: {
        const set = u8();
        const pat = u8();
        p.print(`fhset ${set} fhpat ${pat} `);
        break;
      }
      case 5:
        p.print(`${s8(u8())}dBm signal `);
        break;
      case 6:
        p.print(`${s8(u8())}dBm noise `);
        break;
      case 7:
        p.print(`${u16()} sq `);
        break;
      case 8:
        p.print(`${-((u16() << 16) >> 16)} tx power `);
        break;
      case 9:
        p.print(`${-s8(u8())}dB tx attenuation `);
        break;
      case 10:
        p.print(`${s8(u8())}dBm tx power `);
        break;
      case 11:
        p.print(`antenna ${u8()} `);
        break;
      case 12:
        p.print(`${u8()}dB signal `);
        break;
      case 13:
        p.print(`${u8()}dB noise `);
        break;
      case 14:
        u16();
        break;
      case 18: {
        const flags = u32();
        const freq = u16();
        u8();
        u8();
        printChanInfo(p, freq, flags, present);
        break;
      }
      case 19: {
        const known = u8();
        const flags = u8();
        const mcs = u8();
        if (known & 0x02) {
          let rate = 0;
          if (mcs < HT_RATES.length && known & 0x05)
            rate = HT_RATES[mcs][((flags & 3) === 1 ? 2 : 0) + (flags & 4 ? 1 : 0)];
          p.print(rate !== 0 ? `${rate.toFixed(1)} Mb/s MCS ${mcs} ` : `MCS ${mcs} `);
        }
        if (known & 0x01) p.print(`${HT_BANDWIDTH[flags & 3]} `);
        if (known & 0x04) p.print(`${flags & 4 ? 'short' : 'long'} GI `);
        if (known & 0x08) p.print(`${flags & 8 ? 'greenfield' : 'mixed'} `);
        if (known & 0x10) p.print(`${flags & 0x10 ? 'LDPC' : 'BCC'} FEC `);
        if (known & 0x20) p.print(`RX-STBC${(flags & 0x60) >> 5} `);
        break;
      }
      case 20:
        u32();
        u16();
        u8();
        u8();
        break;
      case 21: {
        const known = u16();
        const flags = u8();
        const bandwidth = u8();
        const mcsNss = [u8(), u8(), u8(), u8()];
        const coding = u8();
        u8();
        u16();
        for (let i = 0; i < 4; i++) {
          if ((mcsNss[i] & 0xf) === 0) continue;
          p.print(`User ${i} MCS ${mcsNss[i] >> 4} `);
          p.print(`${coding & (1 << i) ? 'LDPC' : 'BCC'} FEC `);
        }
        if (known & 0x40) p.print(`${VHT_BANDWIDTH[bandwidth & 0x1f]} `);
        if (known & 0x04) p.print(`${flags & 4 ? 'short' : 'long'} GI `);
        break;
      }
      default:
        p.print(`[bit ${bit}] `);
        return false;
    }
  } catch (e) {
    if (e !== RT_TRUNC) throw e;
    p.trunc();
    return false;
  }
  return true;
}

/** A radiotap field running past the header's length (not past the capture). */
const RT_TRUNC = { radiotapTruncated: true };

/** ieee802_11_radio_print: the radiotap header, then the 802.11 frame. Returns the header length. */
export function printRadiotap(p: Printer, o: number, length: number, caplen: number): number {
  p.protocol = '802.11_radio';
  if (caplen < 8) {
    p.trunc();
    return caplen;
  }
  const len = p.le16(o + 2);
  if (len < 8 || caplen < len) {
    p.trunc();
    return caplen;
  }
  const s = new Cpack(o, len);
  s.advance(8);
  let last = o + 4;
  while (last + 4 <= o + len && p.le32(last) & 0x80000000) {
    last += 4;
    s.advance(4);
  }
  if (last + 4 > o + len) {
    p.trunc();
    return caplen;
  }
  let bit0 = 0;
  let vendor = false;
  let skip = 0;
  const state = { flags: 0 };
  for (let at = o + 4; at <= last; at += 4) {
    const present = p.le32(at);
    if (vendor) {
      if (!s.advance(skip)) break;
      skip = 0;
    } else if (!printNamespace(p, s, state, present, bit0)) break;
    switch (present & 0x60000000) {
      case 0:
        bit0 += 32;
        break;
      case 0x20000000:
        bit0 = 0;
        vendor = false;
        skip = 0;
        break;
      case 0x40000000: {
        bit0 = 0;
        vendor = true;
        if (s.reserve(2) < 0) {
          p.trunc();
          break;
        }
        let ok = true;
        for (let i = 0; i < 4 && ok; i++) {
          if (s.next - s.buf >= s.len) ok = false;
          else s.next++;
        }
        if (!ok) {
          p.trunc();
          break;
        }
        const sk = s.reserve(2);
        if (sk < 0) {
          p.trunc();
          break;
        }
        skip = p.le16(sk);
        s.next = sk + 2;
        break;
      }
    }
  }
  const pad = (state.flags & 0x20) !== 0;
  const fcslen = state.flags & 0x10 ? 4 : 0;
  return len + print80211(p, o + len, length - len, caplen - len, pad, fcslen);
}

/** print_in_radiotap_namespace: false when the header cannot be read further. */
function printNamespace(
  p: Printer,
  s: Cpack,
  state: { flags: number },
  presentFlags: number,
  bit0: number,
): boolean {
  let present = presentFlags >>> 0;
  while (present) {
    const next = (present & (present - 1)) >>> 0;
    const bitno = 31 - Math.clz32(present ^ next);
    if (bitno >= 29) break;
    if (!printRadiotapField(p, s, bit0 + bitno, state, presentFlags)) return false;
    present = next;
  }
  return true;
}

/** ieee802_11_radio_avs_print. */
function printAvs(p: Printer, o: number, length: number, caplen: number): number {
  p.protocol = '802.11_radio_avs';
  if (caplen < 8) {
    p.trunc();
    return caplen;
  }
  const hlen = p.u32(o + 4);
  if (hlen < 8 || caplen < hlen) {
    p.trunc();
    return caplen;
  }
  return hlen + print80211(p, o + hlen, length - hlen, caplen - hlen, false, 0);
}

/** DLT_IEEE802_11 (105). */
export function print80211If(p: Printer, length: number, caplen: number): void {
  p.protocol = '802.11';
  p.llHdrLen += print80211(p, 0, length, caplen, false, 0);
}

/** DLT_IEEE802_11_RADIO (127). */
export function printRadiotapIf(p: Printer, length: number, caplen: number): void {
  p.llHdrLen += printRadiotap(p, 0, length, caplen);
}

/** DLT_IEEE802_11_RADIO_AVS (163). */
export function printAvsIf(p: Printer, length: number, caplen: number): void {
  p.llHdrLen += printAvs(p, 0, length, caplen);
}

/** DLT_PRISM_HEADER (119); an AVS header when it starts with the wlancap cookie. */
export function printPrismIf(p: Printer, length: number, caplen: number): void {
  p.protocol = 'prism';
  if (caplen < 4) {
    p.trunc();
    p.llHdrLen += caplen;
    return;
  }
  const code = p.u32(0);
  if (code === 0x80211001 || code === 0x80211002) {
    p.llHdrLen += printAvs(p, 0, length, caplen);
    return;
  }
  if (caplen < 144) {
    p.trunc();
    p.llHdrLen += caplen;
    return;
  }
  p.llHdrLen += 144;
  p.llHdrLen += print80211(p, 144, length - 144, caplen - 144, false, 0);
}
