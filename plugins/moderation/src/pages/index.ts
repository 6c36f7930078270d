import type { Type } from '@nestjs/common';

/** The server-rendered pages, mounted under `/moderation`. */
export const moderationPages: Type[] = [];
