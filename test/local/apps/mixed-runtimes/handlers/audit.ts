import type { EventBridgeEvent } from 'aws-lambda';

export const handler = async (event: EventBridgeEvent<'Greeted', { name: string }>) => {
  console.log(`audit: ${event.detail.name} was greeted`);
  return { audited: event.detail.name };
};
