/**
 * Why a request body could not be understood. Each is answered 400 and journaled as `rejected`; `detail` is
 * written for the client and never holds anything but what the client itself sent.
 */
export type HookProblem =
  | { readonly _tag: 'MalformedJson'; readonly detail: string }
  | { readonly _tag: 'MalformedEnvelope'; readonly detail: string; readonly eventType?: string }
  | {
      readonly _tag: 'InvalidPayload'
      readonly detail: string
      readonly eventType: string
      readonly originalOrderId?: string
    }
