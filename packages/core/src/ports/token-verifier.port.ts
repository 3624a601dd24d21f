/**
 * Decides whether the `Client-Token` a request presented is one of the tokens the retailer gave SberMarket.
 * Several tokens may be valid at once (rotation). Implementations compare in constant time.
 */
export interface TokenVerifier {
  readonly verify: (presented: string | undefined) => boolean
}
