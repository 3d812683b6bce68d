import type { Messages } from '../../ja';
import { apply } from './apply';
import { common } from './common';
import { guide } from './guide';
import { kiosk } from './kiosk';

export const messages: Partial<Messages> = { ...common, ...kiosk, ...guide, ...apply };
