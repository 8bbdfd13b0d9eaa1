#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* libpng reports errors by longjmp, which must not cross Swift frames: these two functions keep
   every libpng call, and the setjmp it returns to, in C. Each returns 0 on success, or -1 with
   `message` set; whatever they allocate is freed on either path except the result they hand over. */

/* A PNG's pixels as stored (palette indices, not colours) and what is needed to write them back. */
typedef struct {
    unsigned int width, height;
    int bit_depth;              /* 1, 2, 4, 8 or 16, as in IHDR */
    int color_type;             /* 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA */
    int interlaced;             /* 1: Adam7 */
    int channels;               /* samples per pixel: 1 (gray, palette index), 2, 3 or 4 */
    int palette_entries;        /* 0...256 */
    unsigned char palette[768];
    int trns_length;            /* 0...256: the tRNS chunk's data as stored */
    unsigned char trns[256];
    char message[200];
} fz_png_image;

typedef struct { const unsigned char *data; size_t size, offset; } fz_png_source;
typedef struct { unsigned char *data; size_t size, capacity; } fz_png_sink;

static inline void fz_png_error(png_structp png, png_const_charp message) {
    fz_png_image *image = (fz_png_image *)png_get_error_ptr(png);
    strncpy(image->message, message, sizeof image->message - 1);
    image->message[sizeof image->message - 1] = 0;
    png_longjmp(png, 1);
}

static inline void fz_png_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

static inline void fz_png_read_data(png_structp png, png_bytep out, size_t length) {
    fz_png_source *source = (fz_png_source *)png_get_io_ptr(png);
    if (length > source->size - source->offset) png_error(png, "the file ends early");
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

static inline void fz_png_write_data(png_structp png, png_bytep in, size_t length) {
    fz_png_sink *sink = (fz_png_sink *)png_get_io_ptr(png);
    if (length > sink->capacity - sink->size) {
        size_t capacity = sink->capacity * 2 > sink->size + length ? sink->capacity * 2 : sink->size + length + 4096;
        unsigned char *grown = (unsigned char *)realloc(sink->data, capacity);
        if (!grown) png_error(png, "out of memory");
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->size, in, length);
    sink->size += length;
}

static inline void fz_png_flush(png_structp png) { (void)png; }

/* Decodes `data`: fills `image` and hands over `*pixels` (free it): rows top to bottom, samples
   interleaved, one byte per sample up to 8 bits (values below 2^bit_depth), two bytes big-endian for
   16 bits. Interlaced files are deinterlaced. Refuses images of more than `max_bytes` pixel bytes. */
static inline int fz_png_decode(const unsigned char *data, size_t size, size_t max_bytes,
                                fz_png_image *image, unsigned char **pixels) {
    memset(image, 0, sizeof *image);
    *pixels = NULL;
    fz_png_source source = { data, size, 0 };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, image, fz_png_error, fz_png_warning);
    if (!png) { strcpy(image->message, "out of memory"); return -1; }
    png_infop info = png_create_info_struct(png);
    unsigned char *volatile buffer = NULL;
    png_bytep *volatile rows = NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        if (!info) strcpy(image->message, "out of memory");
        png_destroy_read_struct(&png, info ? &info : NULL, NULL);
        free(buffer);
        free(rows);
        return -1;
    }
    png_set_read_fn(png, &source, fz_png_read_data);
    png_read_info(png, info);
    png_uint_32 width, height;
    int bit_depth, color_type, interlace;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    image->width = width;
    image->height = height;
    image->bit_depth = bit_depth;
    image->color_type = color_type;
    image->interlaced = interlace == PNG_INTERLACE_ADAM7;
    png_colorp palette;
    int entries = 0;
    if (color_type == PNG_COLOR_TYPE_PALETTE && png_get_PLTE(png, info, &palette, &entries)) {
        image->palette_entries = entries;
        for (int i = 0; i < entries; i++) {
            image->palette[3 * i] = palette[i].red;
            image->palette[3 * i + 1] = palette[i].green;
            image->palette[3 * i + 2] = palette[i].blue;
        }
    }
    png_bytep alpha;
    int alphas = 0;
    png_color_16p key;
    if (png_get_tRNS(png, info, &alpha, &alphas, &key)) {
        if (color_type == PNG_COLOR_TYPE_PALETTE) {
            image->trns_length = alphas;
            memcpy(image->trns, alpha, (size_t)alphas);
        } else if (color_type == PNG_COLOR_TYPE_GRAY) {
            image->trns_length = 2;
            image->trns[0] = key->gray >> 8; image->trns[1] = key->gray & 255;
        } else if (color_type == PNG_COLOR_TYPE_RGB) {
            image->trns_length = 6;
            unsigned short c[3] = { key->red, key->green, key->blue };
            for (int i = 0; i < 3; i++) { image->trns[2 * i] = c[i] >> 8; image->trns[2 * i + 1] = c[i] & 255; }
        }
    }
    if (bit_depth < 8) png_set_packing(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    image->channels = png_get_channels(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    if (height != 0 && row_bytes > max_bytes / height) png_error(png, "the image is too large");
    buffer = (unsigned char *)malloc(row_bytes * height + 1);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * (height + 1));
    if (!buffer || !rows) png_error(png, "out of memory");
    for (png_uint_32 y = 0; y < height; y++) rows[y] = buffer + y * row_bytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    *pixels = buffer;
    return 0;
}

/* Encodes `pixels` (laid out as fz_png_decode gives them) as a PNG with the colour type, depth,
   interlacing, palette and tRNS of `image`; hands over `*out` (free it) of `*out_size` bytes. */
static inline int fz_png_encode(fz_png_image *image, const unsigned char *pixels,
                                unsigned char **out, size_t *out_size) {
    *out = NULL;
    *out_size = 0;
    fz_png_sink sink = { NULL, 0, 0 };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, image, fz_png_error, fz_png_warning);
    if (!png) { strcpy(image->message, "out of memory"); return -1; }
    png_infop info = png_create_info_struct(png);
    png_bytep *volatile rows = NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        if (!info) strcpy(image->message, "out of memory");
        png_destroy_write_struct(&png, info ? &info : NULL);
        free(rows);
        free(sink.data);
        return -1;
    }
    png_set_write_fn(png, &sink, fz_png_write_data, fz_png_flush);
    png_set_IHDR(png, info, image->width, image->height, image->bit_depth, image->color_type,
                 image->interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (image->color_type == PNG_COLOR_TYPE_PALETTE) {
        png_color palette[256];
        for (int i = 0; i < image->palette_entries; i++) {
            palette[i].red = image->palette[3 * i];
            palette[i].green = image->palette[3 * i + 1];
            palette[i].blue = image->palette[3 * i + 2];
        }
        png_set_PLTE(png, info, palette, image->palette_entries);
    }
    if (image->trns_length > 0) {
        png_color_16 key;
        memset(&key, 0, sizeof key);
        const unsigned char *t = image->trns;
        if (image->color_type == PNG_COLOR_TYPE_PALETTE) {
            png_set_tRNS(png, info, image->trns, image->trns_length, NULL);
        } else if (image->color_type == PNG_COLOR_TYPE_GRAY && image->trns_length == 2) {
            key.gray = (png_uint_16)(t[0] << 8 | t[1]);
            png_set_tRNS(png, info, NULL, 0, &key);
        } else if (image->color_type == PNG_COLOR_TYPE_RGB && image->trns_length == 6) {
            key.red = (png_uint_16)(t[0] << 8 | t[1]);
            key.green = (png_uint_16)(t[2] << 8 | t[3]);
            key.blue = (png_uint_16)(t[4] << 8 | t[5]);
            png_set_tRNS(png, info, NULL, 0, &key);
        } else {
            png_error(png, "tRNS does not fit the colour type");
        }
    }
    png_write_info(png, info);
    if (image->bit_depth < 8) png_set_packing(png);
    png_set_interlace_handling(png);
    size_t row_bytes = (size_t)image->width * image->channels * (image->bit_depth == 16 ? 2 : 1);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * (image->height + 1));
    if (!rows) png_error(png, "out of memory");
    for (unsigned int y = 0; y < image->height; y++) rows[y] = (png_bytep)pixels + (size_t)y * row_bytes;
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(rows);
    *out = sink.data;
    *out_size = sink.size;
    return 0;
}
