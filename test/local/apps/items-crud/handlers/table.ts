import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const TABLE_NAME = process.env.TABLE_NAME!;
export const PRIMARY_KEY = process.env.PRIMARY_KEY!;

/** One document client per execution environment, created at INIT. */
export const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export function reply(statusCode: number, body?: unknown) {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: body === undefined ? '' : JSON.stringify(body) };
}

/** The request body as an object of attributes, or undefined when it is not one. */
export function attributesOf(body: string | null): Record<string, unknown> | undefined {
  if (!body) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
