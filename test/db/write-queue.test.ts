import { Publication } from "../../src/publication/publication.entity";
import { writeTransaction } from "../../src/db/write-queue";
import { createTempDatabase } from "../helpers/temp-database";

describe("writeTransaction on the shared SQLite connection", () => {
  it("20 concurrent write transactions, one failing half-way, leave exactly the 19 good ones", async () => {
    const db = await createTempDatabase();
    try {
      const attempts = Array.from({ length: 20 }, (_, i) =>
        writeTransaction(db.dataSource, async (manager) => {
          await manager.insert(Publication, { slug: `p-${i}`, name: `P ${i}`, brand: "P", edition: null, homepageUrl: null });
          // Yield so the other transactions get every chance to interleave.
          await new Promise((resolve) => setTimeout(resolve, 2));
          await manager.insert(Publication, { slug: `p-${i}-b`, name: `P ${i} b`, brand: "P", edition: null, homepageUrl: null });
          if (i === 7) throw new Error("deliberate failure");
          return i;
        }),
      );
      const results = await Promise.allSettled(attempts);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(19);
      expect(results[7]).toEqual({ status: "rejected", reason: new Error("deliberate failure") });
      const slugs = (await db.dataSource.getRepository(Publication).find()).map((p) => p.slug);
      expect(slugs).toHaveLength(38);
      expect(slugs).not.toContain("p-7");
      expect(slugs).not.toContain("p-7-b");
    } finally {
      await db.cleanup();
    }
  });
});
