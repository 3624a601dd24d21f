/**
 * Decides whether a token a request presented (as `Client-Token`, Bearer or Basic's password: docs/contract.md §2) is
 * one of the tokens the retailer gave SberMarket.
 * Several tokens may be valid at once (rotation). Implementations compare in constant time.
 */
export interface TokenVerifier {
  readonly verify: (presented: string | undefined) => boolean
}
