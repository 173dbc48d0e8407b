import { isError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Errors that say something about the request, not about the catalog. */
const REQUEST_ERRORS = new Set([
  'InputError',
  'NotFoundError',
  'NotAllowedError',
  'AuthenticationError',
  'ConflictError',
  'NotModifiedError',
]);

/**
 * An error of the catalog as the suite's callers should see it: a request
 * error stays what it is; a catalog that cannot be reached or fails (a
 * network error, an error response) is a 503 that names the catalog, not a
 * 500.
 */
export function toCatalogError(error: unknown): unknown {
  if (!isError(error)) return error;
  // A ResponseError of any status means the catalog did not answer what it
  // should (a 404 of a list route: no catalog there); only the errors the
  // service itself raises for a request pass.
  if (REQUEST_ERRORS.has(error.name)) return error;
  return new ServiceUnavailableError(
    `The catalog is unavailable: ${error.message}`,
    error,
  );
}

function wrapIterable<T>(iterable: AsyncIterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = iterable[Symbol.asyncIterator]();
      return {
        next: () =>
          iterator.next().catch(e => {
            throw toCatalogError(e);
          }),
        return: (value?: any) =>
          iterator.return
            ? iterator.return(value)
            : Promise.resolve({ done: true as const, value }),
      };
    },
  };
}

/**
 * The catalog service with its failures named (see {@link toCatalogError}):
 * every method, including the pages of `streamEntities`.
 */
export function withCatalogErrors(catalog: CatalogService): CatalogService {
  return new Proxy(catalog, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = value.apply(target, args);
        } catch (e) {
          throw toCatalogError(e);
        }
        if (result instanceof Promise) {
          return result.catch(e => {
            throw toCatalogError(e);
          });
        }
        if (
          result &&
          typeof result === 'object' &&
          Symbol.asyncIterator in result
        ) {
          return wrapIterable(result as AsyncIterable<unknown>);
        }
        return result;
      };
    },
  });
}
