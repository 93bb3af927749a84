// Every error leaves as RFC 9457 problem+json; nothing ever leaves as a stack trace.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, pickLang, toProblem } from './errors.js';
import { fieldErrors, type AjvLikeError } from './validation.js';

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply {
  const lang = pickLang(request.headers['accept-language']);
  const problem = toProblem(err, lang, request.url, String(request.id));
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').header('content-language', lang).send(problem);
}

/** Maps PostgreSQL errors to domain codes (unique → CONFLICT, FK → VALIDATION, bad text → VALIDATION). */
export function fromDatabaseError(err: { code?: string; constraint?: string; detail?: string }): AppError | null {
  switch (err.code) {
    case '23505':
      return new AppError('CONFLICT', { 'zh-CN': '该记录已存在', en: `Already exists (${err.constraint ?? 'unique'})` });
    case '23503':
      return new AppError('VALIDATION_FAILED', { 'zh-CN': '引用的记录不存在', en: `Referenced record does not exist (${err.constraint ?? 'foreign key'})` });
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
      return new AppError('VALIDATION_FAILED', { 'zh-CN': '数据格式不正确', en: 'A value has the wrong format' });
    default:
      return null;
  }
}

export function toAppError(error: FastifyError & { validation?: AjvLikeError[]; validationContext?: string }, lang: 'zh-CN' | 'en'): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) return new AppError('VALIDATION_FAILED', undefined, fieldErrors(error.validation, error.validationContext, lang));
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_JSON', error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? { 'zh-CN': '请求体为空', en: 'The body is empty' } : undefined);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('BODY_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    default:
      break;
  }
  if (error instanceof SyntaxError || (error as any).type === 'entity.parse.failed') return new AppError('MALFORMED_JSON');
  const db = fromDatabaseError(error as any);
  if (db) return db;
  if (error.statusCode === 429) return new AppError('RATE_LIMITED');
  if (error.statusCode === 413) return new AppError('BODY_TOO_LARGE');
  if (error.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (error.statusCode === 404) return new AppError('NOT_FOUND');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new AppError('VALIDATION_FAILED', error.message);
  return new AppError('INTERNAL');
}

export function registerProblems(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const lang = pickLang(request.headers['accept-language']);
    const appErr = toAppError(error as any, lang);
    if (appErr.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appErr.code }, 'request refused');
    return sendProblem(request, reply, appErr);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, new AppError('ROUTE_NOT_FOUND', { 'zh-CN': `没有 ${request.method} ${request.url.split('?')[0]} 这个接口`, en: `No route ${request.method} ${request.url.split('?')[0]}` })));
}
