/** A CloudFormation tag in list form (`[{Key, Value}]`). */
export interface CfnTag {
  readonly Key: string;
  readonly Value: string;
}
