import express from 'express';
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';

/**
 * The lines of an NDJSON body as it streams in, a chunk's complete lines at
 * a time (the last, unterminated line comes at the end). A line keeps no
 * `\n` and no `\r` before it, so line `n` of the body is the n-th line
 * yielded overall.
 */
export type NdjsonLines = AsyncIterable<string[]>;

/** Why a streamed body could not be read, as body-parser types it. */
export class BodyReadError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

function inflater(encoding: string): zlib.Gunzip | zlib.Inflate | undefined {
  switch (encoding) {
    case 'gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    default:
      return undefined;
  }
}

/** The charset of a Content-Type, lowercase; undefined without one. */
function charsetOf(contentType: string): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m?.[1].toLowerCase();
}

/**
 * Streams the lines of a request body without holding it whole: inflated
 * as it arrives (gzip, deflate), decoded as UTF-8 and split into lines,
 * with the body bounded by `maxBytes` after inflating. Reading stops at the
 * limit with a {@link BodyReadError} of type `entity.too.large` (the rest
 * is left unread). The request is paused while the consumer awaits, so
 * memory stays at a few chunks whatever the body's size.
 *
 * Throws before reading for an encoding or charset it cannot read.
 */
export function ndjsonLines(
  req: express.Request,
  maxBytes: number,
): NdjsonLines {
  const encoding = String(
    req.headers['content-encoding'] ?? 'identity',
  ).toLowerCase();
  const inflate = inflater(encoding);
  if (!inflate && encoding !== 'identity') {
    throw new BodyReadError(
      'encoding.unsupported',
      `unsupported content encoding "${encoding}"`,
    );
  }
  const charset = charsetOf(String(req.headers['content-type'] ?? ''));
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new BodyReadError(
      'charset.unsupported',
      `unsupported charset "${charset}"`,
    );
  }

  return {
    async *[Symbol.asyncIterator]() {
      // Not destroyed when reading stops early (a limit, a bad line): the
      // socket must stay up for the answer.
      let source: AsyncIterable<Buffer> = req.iterator({
        destroyOnReturn: false,
      });
      if (inflate) {
        req.on('error', error => inflate.destroy(error));
        req.on('aborted', () =>
          inflate.destroy(new BodyReadError('request.aborted', 'aborted')),
        );
        source = req.pipe(inflate);
      }
      const decoder = new StringDecoder('utf8');
      let bytes = 0;
      let rest = '';
      let first = true;
      try {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > maxBytes) {
            throw new BodyReadError('entity.too.large', 'request too large');
          }
          let text = rest + decoder.write(chunk);
          if (first && text.length) {
            // A byte order mark is no part of the first line (as body-parser read it).
            if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
            first = false;
          }
          const lines = text.split('\n');
          rest = lines.pop()!;
          for (let i = 0; i < lines.length; i++) {
            const line = lines[i];
            if (line.charCodeAt(line.length - 1) === 13) {
              lines[i] = line.slice(0, -1);
            }
          }
          if (lines.length) yield lines;
        }
      } catch (error) {
        if (error instanceof BodyReadError) throw error;
        const code = String((error as { code?: unknown })?.code ?? '');
        // zlib's errors (Z_DATA_ERROR, ...): the body is not what its
        // Content-Encoding says.
        throw new BodyReadError(
          code.startsWith('Z_') ? 'encoding.invalid' : 'request.aborted',
          (error as Error)?.message ?? String(error),
        );
      } finally {
        if (inflate) {
          req.unpipe(inflate);
          inflate.destroy();
        }
      }
      if (!req.complete) {
        throw new BodyReadError('request.aborted', 'request aborted');
      }
      rest += decoder.end();
      if (rest.charCodeAt(rest.length - 1) === 13) rest = rest.slice(0, -1);
      yield [rest];
    },
  };
}
