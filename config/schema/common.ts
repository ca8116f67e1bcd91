import { z } from "zod";
import type { ModelId } from "../models";

/** Lex V2 / Connect locales the kit ships prompts and messages for. */
export const LOCALES = ["ja_JP", "en_US"] as const;
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;

/** Self-service engines a channel can use. */
export const ENGINES = ["bedrock-bridge", "q-in-connect"] as const;
export const Engine = z.enum(ENGINES);
export type Engine = z.infer<typeof Engine>;

/** The two channels with different Lex timeouts. */
export const CHANNELS = ["chat", "voice"] as const;
export type Channel = (typeof CHANNELS)[number];

export const AwsRegion = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, "expected an AWS region such as ap-northeast-1");

export const AccountId = z.string().regex(/^\d{12}$/, "expected a 12-digit AWS account id");

export const IamRoleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/, "expected an IAM role ARN (arn:aws:iam::<account>:role/<name>)");

export const KmsKeyArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/,
    "expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)",
  );

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export const LogRetentionDays = z
  .number()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    message: `expected one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
  });

/** AWS tag keys and values (the subset every taggable AWS service accepts). */
export const Tags = z.record(
  z.string().regex(/^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, "expected a tag key of 1-128 characters, not starting with aws:"),
  z.string().regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u, "expected a tag value of at most 256 characters"),
);

/** A list of 1-5 non-empty messages: the shape Lex accepts for a response's message groups. */
export const MessageList = z.array(z.string().min(1).max(1000)).min(1).max(5);

/** Per-locale text, with every configured locale required where it is used. */
export function perLocale<T extends z.ZodType>(value: T) {
  return z.strictObject({ ja_JP: value.optional(), en_US: value.optional() });
}

/**
 * A Bedrock model id. Typed with the catalogue's ids so editors complete them, while any string is
 * accepted here: the environment schema checks it against the catalogue (plus `models.extra`) and the
 * region, with a message listing the ids callable there.
 */
export const ModelIdField = z.custom<ModelId | (string & {})>((value) => typeof value === "string" && value.length > 0, {
  message: "expected a Bedrock model id such as apac.amazon.nova-lite-v1:0",
});
