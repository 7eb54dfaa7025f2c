/**
 * Errors ackcheck raises on bad input or broken infrastructure. Each has a stable `code`
 * (for programs) and a message that says what to do (for people). Modelled on kafkajs'
 * errors: a `retriable` flag and the underlying `cause`.
 */
export type AckcheckErrorCode =
  | 'DOCKER_UNREACHABLE'
  | 'IMAGE_MISSING'
  | 'BROKER_NOT_READY'
  | 'BROKER_EXITED'
  | 'BROKER_LOST_TARGET'
  | 'PORT_IN_USE'
  | 'INVALID_OPTION'
  | 'PROCESSOR_NOT_FOUND'
  | 'PROCESSOR_INVALID'
  | 'RUNTIME_INVALID'
  | 'WORKER_FAILED'
  | 'PROCESSOR_SETUP_FAILED'
  | 'PROCESSOR_RESET_FAILED'
  | 'PROCESSOR_SNAPSHOT_FAILED'
  | 'PROCESSOR_TIMEOUT'
  | 'PROCESSOR_REFERENCE_FAILED'
  | 'SNAPSHOT_NOT_JSON'
  | 'SNAPSHOT_NONDETERMINISTIC'
  | 'NETWORK_FAULTS_UNAVAILABLE'
  | 'CLIENT_MISSING';

export class AckcheckError extends Error {
  readonly code: AckcheckErrorCode;
  readonly retriable: boolean;

  constructor(
    code: AckcheckErrorCode,
    message: string,
    options: { cause?: unknown; retriable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AckcheckError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

export function isAckcheckError(error: unknown, code?: AckcheckErrorCode): error is AckcheckError {
  return error instanceof AckcheckError && (code === undefined || error.code === code);
}

/** Message of any thrown value, for error reports that must not crash on non-Error throws. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
