// Limits shared by the tRPC server and the browser's client. No imports: app/ code loads this module in the
// browser.

/**
 * The most calls one batched tRPC request may carry. The server answers a larger batch with 400 before running
 * any of it (one request could otherwise run hundreds of procedures, e.g. 300 password checks); the client's
 * httpBatchLink splits its batches at the same size.
 */
export const maxTrpcBatchSize = 16;
