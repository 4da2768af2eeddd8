/** Who holds records or messages, and until when; held ones are left to their holder. */
export interface Lease {
  owner: string;
  until: Date;
}
