// The codes of the errors the apps throw on purpose, registered in CbpfErrorCodes as `apps`, and the
// error of an interface that cannot serve an app. Bad arguments (a rate of 0, a subnet too large to
// scan unforced) stay RangeErrors, as the tests of arpScan and parseSubnet hold them to.
import { CbpfError } from '../core/errors.js';

/** An interface the app cannot use: none by that name, or no IPv4 address to send from. */
export type InterfaceErrorCode = 'NO_INTERFACE' | 'NO_IPV4_ADDRESS';
/** A frame the socket refused to send (too big, no buffer): counted by replay, which goes on. */
export type ReplayErrorCode = 'FRAME_REFUSED';

export type AppsErrorCode = InterfaceErrorCode | ReplayErrorCode;

declare module '../core/errors.js' {
  interface CbpfErrorCodes {
    apps: AppsErrorCode;
  }
}

/** An interface that cannot serve the app: it does not exist, or has no IPv4 address. */
export class InterfaceError extends CbpfError<InterfaceErrorCode> {}
