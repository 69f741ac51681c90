/**
 * The last step of every HTTP path: the status an executed operation's
 * answer goes out with. The GraphQL over HTTP spec wants 2xx whenever
 * `data` is there; the one exception the gateway makes is an operation
 * refused for want of room (the admission queue is full, SERVER_BUSY):
 * 503 with Retry-After, so that clients and balancers back off. The fast
 * lane calls it directly, Apollo Server through `answerStatusPlugin`, so
 * the two paths cannot answer the same refusal differently.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { SERVER_BUSY } from '../execution/operation-admission.js';

export interface AnswerHead {
  status: number;
  headers: Record<string, string>;
}

const BUSY: AnswerHead = Object.freeze({ status: 503, headers: Object.freeze({ 'retry-after': '1' }) }) as AnswerHead;

/** The head an answer needs besides the default 200, or undefined. */
export function answerHead(data: unknown, errors: readonly { extensions?: GraphQLFormattedError['extensions'] }[] | undefined): AnswerHead | undefined {
  if (data == null && errors?.length === 1 && errors[0]!.extensions?.code === SERVER_BUSY) return BUSY;
  return undefined;
}

/** answerHead on Apollo Server's answers (operations the fast lane did not serve). */
export function answerStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          const head = answerHead(data, errors);
          if (!head) return;
          response.http.status = head.status;
          for (const [name, value] of Object.entries(head.headers)) response.http.headers.set(name, value);
        },
      };
    },
  };
}
