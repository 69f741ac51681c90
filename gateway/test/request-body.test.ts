/**
 * A subgraph request's body (request-body.ts) is JSON.stringify({ query,
 * variables, operationName }) byte for byte, with each fetch text's JSON
 * string kept from one request to the next: a kept text must never stand
 * for another one, and what JSON.stringify leaves out stays out.
 */
import { describe, expect, it } from 'vitest';
import { requestBody } from '../request-body.js';

const stringified = (query: string, variables: Record<string, unknown> | undefined, operationName: string | undefined) => JSON.stringify({ query, variables, operationName });

describe('request body', () => {
  it('writes every body as JSON.stringify does, each text kept apart from the others', () => {
    const queries = ['query A { a }', 'query B($id: ID!) { b(id: $id) { "x\\y" }', 'query C { c \u2026 \u{1F393} }', '', 'query A { a } '];
    const variables: (Record<string, unknown> | undefined)[] = [undefined, {}, { id: '7' }, { id: undefined, to: 'y"\n' }, null as never];
    const names = [undefined, 'A', 'N\u00e9', null as never];
    // Twice over: the second time every text is a kept one.
    for (let round = 0; round < 2; round++) {
      for (const query of queries) {
        for (const vars of variables) {
          for (const name of names) expect(requestBody(query, vars, name)).toBe(stringified(query, vars, name));
        }
      }
    }
  });

  it('keeps a text by what it says, not by where it is stored', () => {
    const first = ['query ', 'Q { a }'].join('');
    const again = ['query Q', ' { a }'].join('');
    expect(requestBody(first, { id: 1 }, 'Q')).toBe(stringified(first, { id: 1 }, 'Q'));
    expect(requestBody(again, { id: 2 }, 'Q')).toBe(stringified(again, { id: 2 }, 'Q'));
    expect(requestBody('query Q { b }', { id: 3 }, 'Q')).toBe(stringified('query Q { b }', { id: 3 }, 'Q'));
  });

  it('stays right past the number of texts it keeps', () => {
    for (let index = 0; index < 2_500; index++) {
      const query = `query Q${index % 1_200} { a }`;
      expect(requestBody(query, { index }, undefined)).toBe(stringified(query, { index }, undefined));
    }
  });
});
