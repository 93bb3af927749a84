// Two ajv instances: query strings, params and headers arrive as text, so they are coerced
// ("2" → 2, "a" → ["a"]); JSON bodies are NOT coerced, so `{"name": 42}` is reported as a wrong
// type instead of silently becoming "42". Both report every error (allErrors) and know the
// platform's formats (resident-id, uscc, mobile-cn, division-code).
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { formats } from '../validators/index.js';

function make(coerce: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ allErrors: true, coerceTypes: coerce, useDefaults: true, removeAdditional: false, strict: false, formats });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

type Validate = ((...args: unknown[]) => unknown) & { errors?: unknown };

/**
 * Each route's validator is compiled on its first request, not at start: with ~200 routes the
 * compile was the largest part of a start (1.5 s of CPU). Fastify reads `.errors` off the function
 * it was given, so the wrapper copies them from the compiled one.
 */
export function validatorCompiler(): FastifySchemaCompiler<any> {
  const text = make('array');
  const json = make(false);
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? json : text;
    let compiled: Validate | undefined;
    const validate: Validate = (...args) => {
      compiled ??= ajv.compile(schema as object) as unknown as Validate;
      const ok = compiled(...args);
      validate.errors = compiled.errors;
      return ok;
    };
    return validate as never;
  };
}
