// English, for residents: kiosk, certificate station, public guide and the shared texts they show.
import type { Messages } from '../../ja';
import { apply } from './apply';
import { common } from './common';
import { guide } from './guide';
import { kiosk } from './kiosk';
import { station } from './station';

export const messages: Partial<Messages> = { ...common, ...kiosk, ...station, ...guide, ...apply };
