import { CustomErrorBase, InputError } from '@backstage/errors';

/** 415: a body of a media type the route does not read. */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  statusCode = 415 as const;
}

/** 413: a body larger than the route's limit (after inflating). */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413 as const;
}

/**
 * body-parser's errors as the suite's, each saying what to change: `where`
 * names the route (`POST /usage`), `advice` follows a 413's message.
 */
export function bodyParserError(
  error: any,
  options: { where: string; limit: string | number; advice: string },
): Error {
  const { where, limit, advice } = options;
  switch (error?.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError(
        `Request body of ${where} is larger than its limit of ${limit} (after decompression); ${advice}`,
      );
    case 'entity.parse.failed':
      return new InputError(
        `Request body of ${where} is not valid JSON: ${error.message}`,
      );
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeError(
        `Content-Encoding of ${where} must be gzip, deflate or identity`,
      );
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(
        `Content-Type charset of ${where} must be utf-8`,
      );
    case 'request.aborted':
    case 'request.size.invalid':
      return new InputError(
        `Request body of ${where} ended before its Content-Length`,
      );
    default:
      return error;
  }
}
