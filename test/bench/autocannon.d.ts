/** The part of autocannon's programmatic API the benchmark uses (the package ships no types). */
declare module "autocannon" {
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
      /** Returns the request to send; called before every request. */
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
    }

    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Milliseconds between samples; the end of the run is noticed on a sample. */
      sampleInt?: number;
      /** Seconds before a request counts as timed out. */
      timeout?: number;
      requests?: Request[];
    }

    interface Result {
      requests: { total: number };
      /** Seconds. */
      duration: number;
      /** Connection errors, timeouts included. */
      errors: number;
      non2xx: number;
      /** Responses by HTTP status. */
      statusCodeStats: Record<string, { count: number }>;
    }

    interface Instance {
      /** `responseTime` is in milliseconds, with sub-millisecond precision (the result's histograms round it down). */
      on(event: "response", listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): this;
    }
  }

  function autocannon(options: autocannon.Options, callback: (error: Error | null, result: autocannon.Result) => void): autocannon.Instance;
  export = autocannon;
}
