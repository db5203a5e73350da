(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 18
(002) ld       [26]
(003) jeq      #0xa000001       jt 6	jf 4
(004) ld       [30]
(005) jeq      #0xa000001       jt 6	jf 18
(006) ldb      [23]
(007) jeq      #0x6             jt 8	jf 18
(008) ldh      [20]
(009) jset     #0x1fff          jt 18	jf 10
(010) ldxb     4*([14]&0xf)
(011) ldh      [x + 14]
(012) jeq      #0x16            jt 17	jf 13
(013) jeq      #0x1bb           jt 17	jf 14
(014) ldh      [x + 16]
(015) jeq      #0x16            jt 17	jf 16
(016) jeq      #0x1bb           jt 17	jf 18
(017) ret      #262144
(018) ret      #0
